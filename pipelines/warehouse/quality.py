"""Delivery status tables (sql/quality): what each site owed, what arrived, on time or not."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.contracts import SITE_EXPORTS
from pipelines.settings import Settings
from pipelines.warehouse.connection import connect
from pipelines.warehouse.sql_files import run_folder, select


def build_quality_tables(con: duckdb.DuckDBPyConnection, settings: Settings) -> dict[str, int]:
    """Write the run's parameters, then the sql/quality models; returns row counts."""
    con.execute(
        "CREATE OR REPLACE TABLE parametres_qualite AS SELECT ?::DATE AS date_du_jour, ?::INTEGER AS echeance_mois, ?::INTEGER AS echeance_jour, ?::VARCHAR[] AS exports_sites",
        [
            settings.today,
            settings.due_months_after,
            settings.due_day,
            list(SITE_EXPORTS),
        ],
    )
    run_folder(con, "quality")
    return {
        table: con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        for table in (
            "livraisons_attendues",
            "statut_livraisons",
            "envois_ecartes",
            "qualite_reincarcerations",
        )
    }


def reference_date(con: duckdb.DuckDBPyConnection) -> str:
    """The data reference date of the marts (`date_reference`), in French format, or « – »."""
    value = con.table("date_reference").pl()["date_reference_donnees"].item()
    return value.strftime("%d/%m/%Y") if value else "–"


def set_aside_in_run(warehouse: Path, run_id: str) -> list[dict]:
    """The files a run refused or held for confirmation (fichier, statut, motif, correction)."""
    with connect(warehouse, read_only=True) as con:
        return select(con, "runs", "envois_ecartes", run_id=run_id).to_dicts()
