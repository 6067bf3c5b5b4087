"""Referentials shipped with the project, loaded into the warehouse as `ref_*` tables.

Geography (official INSEE codes, from @etalab/decoupage-administratif), the region → DISP mapping,
the code lists of data_contracts/codes.yaml, and the sites referential. The national steward may
drop an updated `sites.csv` at the root of the inbox: it then replaces the shipped one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from pipelines.codes import Codes, load_codes
from pipelines.contracts import load_contract
from pipelines.errors import IaeError
from pipelines.ingest.coercion import coerce
from pipelines.ingest.inbox import REFERENTIAL_NAME
from pipelines.ingest.prepare import SiteWindow
from pipelines.ingest.readers import LINE_COLUMN, read_table
from pipelines.messages import FileRejected

HERE = Path(__file__).resolve().parent
SHIPPED_SITES = HERE / REFERENTIAL_NAME
_GEOGRAPHY = {
    "ref_departements": "departements.csv",
    "ref_regions": "regions.csv",
    "ref_disp": "disp.csv",
}


@dataclass(frozen=True)
class SitesReferential:
    path: Path
    frame: pl.DataFrame


def sites_path(inbox: Path | None) -> Path:
    candidate = inbox / REFERENTIAL_NAME if inbox else None
    return candidate if candidate and candidate.is_file() else SHIPPED_SITES


def read_sites(inbox: Path | None) -> SitesReferential:
    """The sites referential, typed by its contract; a malformed referential stops the run."""
    path = sites_path(inbox)
    contract = load_contract("sites")
    try:
        table = read_table(path, contract.header_lookup(), contract.required_columns)
    except FileRejected as rejected:
        raise IaeError(
            f"Référentiel des sites {path} illisible : {rejected.finding.render(path.name)}"
        ) from None
    typed, failures = coerce(table.frame, contract, load_codes(), keys=[LINE_COLUMN])
    if failures.height:
        first = failures.row(0, named=True)
        raise IaeError(
            f"Référentiel des sites {path}, ligne {first[LINE_COLUMN]}, colonne « {first['colonne']} » : "
            f"valeur « {first['valeur']} » illisible. Corrigez-la puis relancez."
        )
    return SitesReferential(
        path, typed.drop(LINE_COLUMN).with_columns(pl.col("code_site").str.to_lowercase())
    )


def site_codes(inbox: Path | None) -> frozenset[str]:
    """The codes of the referential's sites: only they get a partition."""
    return frozenset(read_sites(inbox).frame["code_site"])


def read_geography(file_name: str) -> pl.DataFrame:
    return pl.read_csv(HERE / file_name, infer_schema=False)


@cache
def department_phrases() -> dict[str, tuple[str, str]]:
    """Department code → how a sentence says « in » and « of » it (« dans les Bouches-du-Rhône »,
    « des Bouches-du-Rhône »; « en Corrèze », « de la Corrèze »): columns of departements.csv
    written from INSEE's type of name (its article), as the official geographic code does; a
    department named after a river or the sea takes « dans la » (« dans la Vienne », « dans la
    Manche »), the others with « la » take « en » (« en Corrèze »)."""
    frame = read_geography(_GEOGRAPHY["ref_departements"])
    return {
        code: (within, of)
        for code, within, of in frame.select(
            "code_departement", "dans_departement", "du_departement"
        ).iter_rows()
    }


def codes_frames(codes: Codes) -> dict[str, pl.DataFrame]:
    """One `ref_<nomenclature>` frame per code list: code, libelle and its attributes."""
    return {
        f"ref_{name}": pl.DataFrame(
            [{"code": c.code, "libelle": c.libelle, **c.attributes} for c in nomenclature.codes]
        )
        for name, nomenclature in codes.nomenclatures.items()
    }


def load_referentials(con: duckdb.DuckDBPyConnection, sites: SitesReferential) -> dict[str, int]:
    """(Re)write every ref_* table; returns row counts by table."""
    frames = {table: read_geography(name) for table, name in _GEOGRAPHY.items()}
    frames |= codes_frames(load_codes())
    frames["ref_sites"] = sites.frame
    for table, frame in frames.items():
        con.register("_referentiel", frame)
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM _referentiel")
        con.unregister("_referentiel")
    return {table: frame.height for table, frame in frames.items()}


def site_windows(con: duckdb.DuckDBPyConnection) -> dict[str, SiteWindow]:
    """Opening and closing dates by site, from the loaded referential."""
    rows = con.sql("SELECT code_site, date_ouverture, date_fermeture FROM ref_sites").fetchall()
    return {site: SiteWindow(opened, closed) for site, opened, closed in rows}
