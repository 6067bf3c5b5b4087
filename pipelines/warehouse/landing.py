"""Writing deliveries into the warehouse: a new delivery replaces exactly its (site, type, period).

Callers wrap a whole ingest in one transaction, so a failure leaves the warehouse as it was.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

import duckdb
import polars as pl

from pipelines.contracts import Contract
from pipelines.warehouse.schema import LINEAGE_COLUMNS


@dataclass(frozen=True)
class RegisterEntry:
    """One row of the `livraisons` register."""

    sha256: str
    fichier: str
    code_site: str | None
    type_export: str | None
    periode: str | None
    date_reception: datetime
    date_ingestion: datetime
    statut: str
    active: bool
    version_contrat: str | None
    run_id: str
    regle_rejet: str | None = None
    motif_rejet: str | None = None
    correction_rejet: str | None = None
    ligne_rejet: int | None = None
    colonne_rejet: str | None = None
    lignes_recues: int | None = None
    lignes_acceptees: int | None = None
    lignes_quarantaine: int | None = None
    avertissements: int | None = None
    colonnes_supprimees: list[str] | None = None
    colonnes_absentes: list[str] | None = None
    encodage: str | None = None
    separateur: str | None = None


_REGISTER_SCHEMA = {
    "date_reception": pl.Datetime("us"),
    "date_ingestion": pl.Datetime("us"),
    "colonnes_supprimees": pl.List(pl.String),
    "colonnes_absentes": pl.List(pl.String),
    "ligne_rejet": pl.Int32,
    "lignes_recues": pl.Int32,
    "lignes_acceptees": pl.Int32,
    "lignes_quarantaine": pl.Int32,
    "avertissements": pl.Int32,
}


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    if frame.height == 0:
        return
    con.register("_a_inserer", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _a_inserer")
    finally:
        con.unregister("_a_inserer")


def record(con: duckdb.DuckDBPyConnection, entries: list[RegisterEntry]) -> None:
    """Add register rows; an active entry retires the one in force for its key."""
    if not entries:
        return
    rows = pl.DataFrame(
        [asdict(e) for e in entries], schema_overrides=_REGISTER_SCHEMA, infer_schema_length=None
    )
    active = rows.filter(pl.col("active")).select("code_site", "type_export", "periode")
    if active.height:
        con.register("_nouvelles_actives", active)
        try:
            con.execute(
                "UPDATE livraisons SET active = false, statut = 'remplacee' FROM _nouvelles_actives AS n "
                "WHERE livraisons.active AND livraisons.code_site = n.code_site "
                "AND livraisons.type_export = n.type_export AND livraisons.periode = n.periode"
            )
        finally:
            con.unregister("_nouvelles_actives")
    _insert(con, "livraisons", rows)


def replace_rows(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    keys: list[tuple[str, str]],
    accepted: pl.DataFrame,
    findings: pl.DataFrame,
    ingested_at: datetime,
) -> None:
    """Swap the raw rows and the findings of the given (site, period) keys for the new ones."""
    if not keys:
        return
    key_frame = pl.DataFrame(keys, schema=["code_site", "periode"], orient="row")
    con.register("_cles", key_frame)
    try:
        con.execute(
            f"DELETE FROM {contract.table} WHERE (code_site, periode) IN (SELECT code_site, periode FROM _cles)"
        )
        con.execute(
            "DELETE FROM anomalies WHERE type_export = ? AND (code_site, periode) IN (SELECT code_site, periode FROM _cles)",
            [contract.name],
        )
    finally:
        con.unregister("_cles")
    columns = [*LINEAGE_COLUMNS, *contract.column_names]
    stamp = pl.lit(ingested_at).alias("date_ingestion")
    _insert(con, contract.table, accepted.with_columns(stamp).select(columns))
    _insert(con, "anomalies", findings.with_columns(stamp))
