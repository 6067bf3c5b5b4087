"""The report queries of sql/reports, run on the warehouse with named parameters."""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.warehouse.sql_files import select


def query(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pl.DataFrame:
    """Rows of `sql/reports/<name>.sql` (a SELECT; `$name` placeholders bound to `params`)."""
    return select(con, "reports", name, **params)
