"""The analysts' copy of the warehouse: aggregated and quality tables only, never person-level rows.

It holds exact counts (authorised analysts only), among them the outcomes cross-tab
`resultats_croises` (site × period × age band × diploma × sentence length band × adjustment), so
that a new breakdown is a query, not a code change.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

SNAPSHOT_NAME = "entrepot_analystes.duckdb"
# Aggregates, catalog, referentials and delivery quality; everything else (raw_*, stg_*, person-level
# marts, row findings) stays in the working warehouse.
SHARED = re.compile(
    r"^(indicateurs|indicateurs_larges|catalogue_indicateurs|resultats_croises|zones|periodes"
    r"|date_reference|ref_.*|livraisons|livraisons_attendues|statut_livraisons)$"
)


def shared_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    names = con.sql(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? AND table_type = 'BASE TABLE'",
        params=[catalog],
    ).fetchall()
    return sorted(n for (n,) in names if SHARED.match(n))


def publish_snapshot(warehouse: Path, outputs: Path) -> tuple[Path, list[str]]:
    """Copy the shared tables into a fresh file, then rename it over the previous copy."""
    outputs.mkdir(parents=True, exist_ok=True)
    target = outputs / SNAPSHOT_NAME
    fresh = outputs / f".{SNAPSHOT_NAME}.tmp"
    fresh.unlink(missing_ok=True)
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{warehouse}' AS source (READ_ONLY)")
        con.execute(f"ATTACH '{fresh}' AS copie")
        tables = shared_tables(con, "source")
        for table in tables:
            con.execute(f'CREATE TABLE copie."{table}" AS SELECT * FROM source."{table}"')
    os.replace(fresh, target)
    return target, tables
