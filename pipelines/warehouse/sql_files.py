"""Running the project's SQL files (sql/**/*.sql) in DuckDB, in name order."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.paths import SQL_DIR


def run_file(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    con.execute(path.read_text(encoding="utf-8"))


def run_folder(con: duckdb.DuckDBPyConnection, folder: str) -> list[Path]:
    files = sorted((SQL_DIR / folder).glob("*.sql"))
    for path in files:
        run_file(con, path)
    return files
