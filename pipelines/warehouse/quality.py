"""Delivery status tables (sql/quality): what each site owed, what arrived, on time or not."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from pipelines.contracts import SITE_EXPORTS
from pipelines.settings import Settings
from pipelines.warehouse.connection import connect, write_table
from pipelines.warehouse.sql_files import run_folder, select


def build_quality_tables(con: duckdb.DuckDBPyConnection, settings: Settings) -> dict[str, int]:
    """Write the run's parameters, then the sql/quality models; returns row counts."""
    write_table(
        con,
        "parametres_qualite",
        pl.DataFrame(
            {
                "date_du_jour": [settings.today],
                "echeance_mois": [settings.due_months_after],
                "echeance_jour": [settings.due_day],
                "exports_sites": [list(SITE_EXPORTS)],
            },
            schema={
                "date_du_jour": pl.Date,
                "echeance_mois": pl.Int32,
                "echeance_jour": pl.Int32,
                "exports_sites": pl.List(pl.String),
            },
        ),
    )
    run_folder(con, "quality")
    return {
        table: con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        for table in (
            "livraisons_attendues",
            "statut_livraisons",
            "envois_ecartes",
            "qualite_reincarcerations",
            "parcours_non_reconduits",
        )
    }


def reference_date(con: duckdb.DuckDBPyConnection) -> str:
    """The data reference date of the marts (`date_reference`), in French format, or « – »."""
    value = con.table("date_reference").pl()["date_reference_donnees"].item()
    return value.strftime("%d/%m/%Y") if value else "–"


def set_aside_in_run(warehouse: Path, run_id: str) -> tuple[list[dict], list[dict]]:
    """The files a run refused or held for confirmation, then those of earlier runs still waiting
    for the site (fichier, statut, motif, correction, cette_execution); and the follow-up lines it
    rejected as privacy violations, by file (fichier, lignes)."""
    with connect(warehouse, read_only=True) as con:
        return (
            select(con, "runs", "envois_ecartes", run_id=run_id).to_dicts(),
            select(con, "runs", "atteintes_vie_privee", run_id=run_id).to_dicts(),
        )
