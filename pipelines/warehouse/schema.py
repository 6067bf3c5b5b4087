"""The warehouse's landing tables: quality tables from sql/schema, raw tables from the contracts."""

from __future__ import annotations

import duckdb

from pipelines.contracts import EXPORT_TYPES, Contract, load_contract
from pipelines.warehouse.sql_files import run_folder

LINEAGE_COLUMNS = {
    "code_site": "VARCHAR NOT NULL",
    "periode": "VARCHAR NOT NULL",
    "fichier_source": "VARCHAR NOT NULL",
    "ligne_source": "INTEGER NOT NULL",
    "sha256_fichier": "VARCHAR NOT NULL",
    "date_ingestion": "TIMESTAMP NOT NULL",
}


def raw_table_ddl(contract: Contract) -> list[str]:
    """CREATE the raw table, then ADD any column a newer contract version brought."""
    lineage = ", ".join(f"{name} {kind}" for name, kind in LINEAGE_COLUMNS.items())
    statements = [f"CREATE TABLE IF NOT EXISTS {contract.table} ({lineage})"]
    statements += [
        f"ALTER TABLE {contract.table} ADD COLUMN IF NOT EXISTS {c.name} {c.duckdb_type}"
        for c in contract.columns
    ]
    return statements


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Raw tables first: some schema views read them."""
    for export_type in EXPORT_TYPES:
        for statement in raw_table_ddl(load_contract(export_type)):
            con.execute(statement)
    run_folder(con, "schema")
