"""Delivery status tables (sql/quality): what each site owed, what arrived, on time or not."""

from __future__ import annotations

import duckdb

from pipelines.settings import Settings
from pipelines.warehouse.sql_files import run_folder


def build_quality_tables(con: duckdb.DuckDBPyConnection, settings: Settings) -> dict[str, int]:
    """Write the run's parameters, then the sql/quality models; returns row counts."""
    con.execute(
        "CREATE OR REPLACE TABLE parametres_qualite AS SELECT ?::DATE AS date_du_jour, ?::INTEGER AS echeance_mois, ?::INTEGER AS echeance_jour",
        [settings.today, settings.due_months_after, settings.due_day],
    )
    run_folder(con, "quality")
    return {
        table: con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        for table in ("livraisons_attendues", "statut_livraisons", "qualite_reincarcerations")
    }


def reference_date(con: duckdb.DuckDBPyConnection) -> str:
    """The data reference date of the marts (`date_reference`), in French format, or « – »."""
    value = con.table("date_reference").pl()["date_reference_donnees"].item()
    return value.strftime("%d/%m/%Y") if value else "–"
