"""What the inbox cannot give back, kept beside the warehouse after each successful run.

The inbox is the source of truth for the rows delivered, not for what was done with them: the
register of deliveries (dates, statuses, corrections held), the figures published and their
revisions, the figures frozen by purges, the key's fingerprint and the last purge limit.
`sauvegarde_entrepot.duckdb` holds a copy of those tables, written aside then renamed over the
previous one, so that a damaged warehouse can be rebuilt (`iae reconstruire`, pipelines/intake/rebuild.py).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.errors import IaeError
from pipelines.warehouse.connection import connect
from pipelines.warehouse.snapshot import base_tables, copy_tables

BACKUP_NAME = "sauvegarde_entrepot.duckdb"
KEPT = (
    "livraisons",
    "chiffres_publies",
    "parametres",
    "indicateurs_geles",
    "resultats_croises_geles",
)


def backup_path(warehouse: Path) -> Path:
    return warehouse.with_name(BACKUP_NAME)


def save_backup(warehouse: Path) -> tuple[Path, list[str]]:
    target = backup_path(warehouse)
    return target, copy_tables(warehouse, target, lambda table: table in KEPT)


def restore_backup(con: duckdb.DuckDBPyConnection, backup: Path) -> dict[str, int]:
    """Put the kept tables of `backup` into a warehouse whose schema exists and is empty."""
    con.execute(f"ATTACH '{backup}' AS sauvegarde (READ_ONLY)")
    try:
        for table in KEPT:
            con.execute(f'INSERT INTO main."{table}" BY NAME SELECT * FROM sauvegarde."{table}"')
        return {t: con.sql(f'SELECT count(*) FROM main."{t}"').fetchall()[0][0] for t in KEPT}
    finally:
        con.execute("DETACH sauvegarde")


def check_readable(warehouse: Path) -> None:
    """Read every table of the warehouse through, before a run spends minutes on it: a damaged
    file fails here with DuckDB's error, which the command line tells in French (faults.py)."""
    if not warehouse.exists():
        backup = backup_path(warehouse)
        if backup.exists():
            raise IaeError(
                f"L'entrepôt {warehouse} a disparu, mais sa sauvegarde {backup} existe. "
                f"Reconstruisez-le : iae reconstruire --home {warehouse.parent} (une exécution "
                "ordinaire repartirait d'un entrepôt vide et perdrait les chiffres déjà publiés)."
            )
        return
    with connect(warehouse, read_only=True) as con:
        for table in base_tables(con, con.sql("SELECT current_database()").fetchall()[0][0]):
            con.sql(f'SELECT sum(hash(t)) FROM "{table}" AS t').fetchall()
