"""Delivery status tables (sql/quality): what each site owed, what arrived, on time or not."""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.periods import Semester
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
        for table in ("livraisons_attendues", "statut_livraisons")
    }


def reference_date(con: duckdb.DuckDBPyConnection) -> str:
    """End of the latest semester with an accepted delivery (French format), or « – »."""
    register = (
        con.table("livraisons").pl().filter(pl.col("active") & pl.col("periode").is_not_null())
    )
    if register.height == 0:
        return "–"
    return Semester.parse(register["periode"].max()).end.strftime("%d/%m/%Y")
