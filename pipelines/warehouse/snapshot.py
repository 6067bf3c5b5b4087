"""Copies of warehouse tables in a file of their own, swapped in atomically: the analysts' copy
and the backup (backup.py).

The analysts' copy holds aggregated and quality tables only, never person-level rows, with exact
counts (authorised analysts only), among them the outcomes cross-tab `resultats_croises` (site ×
period × age band × diploma × sentence length band × adjustment), so that a new breakdown is a
query, not a code change; the figures as published (`chiffres_publies`) so that an analyst quotes
what the committees saw; and a `lisez_moi` table saying who may receive it and what to quote.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import duckdb

SNAPSHOT_NAME = "entrepot_analystes.duckdb"
README = Path(__file__).with_name("lisez_moi.md")
# Aggregates, catalog, referentials and delivery quality; everything else (raw_*, stg_*, person-level
# marts, row findings) stays in the working warehouse.
SHARED = re.compile(
    r"^(indicateurs|indicateurs_larges|catalogue_indicateurs|resultats_croises|zones|periodes"
    r"|date_reference|ref_.*|livraisons|livraisons_attendues|statut_livraisons|chiffres_publies)$"
)


def base_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    names = con.sql(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? AND table_type = 'BASE TABLE'",
        params=[catalog],
    ).fetchall()
    return sorted(n for (n,) in names)


def copy_tables(
    source: Path, target: Path, wanted: Callable[[str], bool], readme: list[str] | None = None
) -> list[str]:
    """Copy the wanted tables of `source` into a fresh file, then rename it over `target`: a
    reader never opens a half-written copy, and a failure leaves the previous one in place.
    `readme`: paragraphs written as a `lisez_moi` table (ordre, texte)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.with_name(f".{target.name}.tmp")
    fresh.unlink(missing_ok=True)
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{source}' AS source (READ_ONLY)")
        con.execute(f"ATTACH '{fresh}' AS copie")
        tables = [t for t in base_tables(con, "source") if wanted(t)]
        for table in tables:
            con.execute(f'CREATE TABLE copie."{table}" AS SELECT * FROM source."{table}"')
        if readme:
            con.execute("CREATE TABLE copie.lisez_moi (ordre INTEGER, texte VARCHAR)")
            con.executemany("INSERT INTO copie.lisez_moi VALUES (?, ?)", list(enumerate(readme, 1)))
    os.replace(fresh, target)
    return tables


def publish_snapshot(warehouse: Path, folder: Path) -> tuple[Path, list[str]]:
    """The analysts' copy in `folder`: the shared tables and its notice, swapped in atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / SNAPSHOT_NAME
    readme = README.read_text(encoding="utf-8").strip().splitlines()
    return target, copy_tables(warehouse, target, lambda table: bool(SHARED.match(table)), readme)
