"""Running the project's SQL files (sql/**/*.sql) in DuckDB, in name order."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from pipelines.paths import SQL_DIR


def run_file(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    con.execute(path.read_text(encoding="utf-8"))


def run_folder(con: duckdb.DuckDBPyConnection, folder: str) -> list[Path]:
    files = sorted((SQL_DIR / folder).glob("*.sql"))
    for path in files:
        run_file(con, path)
    return files


@cache
def _query_text(folder: str, name: str) -> str:
    return (SQL_DIR / folder / f"{name}.sql").read_text(encoding="utf-8")


def select(
    con: duckdb.DuckDBPyConnection, folder: str, name: str, **params: object
) -> pl.DataFrame:
    """Rows of the SELECT in `sql/<folder>/<name>.sql`, `$name` placeholders bound to `params`."""
    return con.sql(_query_text(folder, name), params=params or None).pl()
