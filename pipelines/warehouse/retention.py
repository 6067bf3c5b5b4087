"""Retention of person-level rows: list or delete what is past the limit, then rewrite the file.

Deleting is not erasing in DuckDB: freed blocks keep the old bytes. After a purge the database is
copied into a fresh file (`COPY FROM DATABASE`), which is swapped in atomically.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from pipelines.errors import IaeError
from pipelines.paths import SQL_DIR
from pipelines.warehouse.connection import connect, transaction
from pipelines.warehouse.parameters import PURGE_LIMIT, set_parameter
from pipelines.warehouse.schema import ensure_schema
from pipelines.warehouse.sql_files import run_file

PURGED = ("parcours", "personnel", "suivi", "reincarcerations", "anomalies")
MINIMUM_MONTHS = 12  # the re-incarceration window of a release must have elapsed


@dataclass(frozen=True)
class PurgeReport:
    limit: date
    rows: dict[str, int]
    simulated: bool

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def retention_limit(today: date, months: int) -> date:
    """`today` minus `months` months (end-of-month safe): rows ended before it go."""
    if months < MINIMUM_MONTHS:
        raise IaeError(
            f"Durée de conservation de {months} mois refusée : au moins {MINIMUM_MONTHS} mois sont nécessaires "
            "pour mesurer la réincarcération à 12 mois après la libération (IAE_CONSERVATION_MOIS)."
        )
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    days = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    return date(year, month, min(today.day, days[month - 1]))


def _purgeable(con: duckdb.DuckDBPyConnection, limit: date) -> dict[str, int]:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE parametres_conservation AS SELECT ?::DATE AS date_limite",
        [limit],
    )
    run_file(con, SQL_DIR / "retention" / "01_a_purger.sql")
    return {
        name: con.sql(f"SELECT count(*) FROM a_purger_{name}").fetchall()[0][0] for name in PURGED
    }


def _built(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the models exist to freeze from: not in a warehouse being rebuilt, whose frozen
    figures come back from the backup."""
    return bool(
        con.sql(
            "SELECT count(*) = 2 FROM duckdb_tables() "
            "WHERE schema_name = 'main' AND table_name IN ('indicateurs', 'resultats_croises')"
        ).fetchall()[0][0]
    )


def purge(
    warehouse: Path,
    limit: date,
    *,
    simulate: bool,
    rebuild: Callable[[duckdb.DuckDBPyConnection], object],
) -> PurgeReport:
    """Freeze the figures of the periods the rows past `limit` count in, delete those rows (one
    transaction), rebuild what derives from them, compact the file.

    The rebuild and the rewrite run even when nothing is left to delete, so that a purge whose
    rebuild failed last time is completed by the next one.
    """
    with connect(warehouse) as con:
        ensure_schema(con)  # a warehouse written by an earlier version gets the SQL macros first
        rows = _purgeable(con, limit)
        if simulate:
            return PurgeReport(limit, rows, simulated=True)
        with transaction(con):
            if _built(con):
                run_file(con, SQL_DIR / "retention" / "02_geler.sql")
            run_file(con, SQL_DIR / "retention" / "03_purger.sql")
            set_parameter(con, PURGE_LIMIT, limit.isoformat())
        rebuild(con)
    rewrite(warehouse)
    return PurgeReport(limit, rows, simulated=False)


def rewrite(warehouse: Path) -> None:
    """Copy the database into a fresh file and swap it in: freed blocks (and their old bytes) stay behind."""
    fresh = warehouse.with_name(f".{warehouse.name}.compact")
    fresh.unlink(missing_ok=True)
    with connect(warehouse) as con:
        source = con.sql("SELECT current_database()").fetchall()[0][0]
        con.execute(f"ATTACH '{fresh}' AS base_neuve")
        con.execute(f'COPY FROM DATABASE "{source}" TO base_neuve')
        con.execute("DETACH base_neuve")
    os.replace(fresh, warehouse)
    Path(f"{warehouse}.wal").unlink(missing_ok=True)
