"""The report queries of sql/reports, run on the warehouse with named parameters."""

from __future__ import annotations

from functools import cache

import duckdb
import polars as pl

from pipelines.paths import SQL_DIR


@cache
def _text(name: str) -> str:
    return (SQL_DIR / "reports" / f"{name}.sql").read_text(encoding="utf-8")


def query(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pl.DataFrame:
    """Rows of `sql/reports/<name>.sql` (a SELECT; `$name` placeholders bound to `params`)."""
    return con.sql(_text(name), params=params or None).pl()
