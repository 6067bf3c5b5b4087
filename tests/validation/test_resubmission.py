"""A corrected re-submission clears the site's quarantine for that delivery, and its checks turn green."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from pipelines.validation.site_checks import site_checks
from tests.conftest import PARCOURS_HEADER, parcours_row, run_ingest, write_csv


def _parcours_check(con: duckdb.DuckDBPyConnection, site: str) -> bool:
    return next(c for c in site_checks(con, [site]) if c.export_type == "parcours").passed


def test_corrected_file_clears_the_quarantine(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = tmp_path / "boite"
    bad = write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [parcours_row("A1", "05/01/2025"), parcours_row("A2", "31/02/2025")],
    )
    write_csv(
        inbox / "06-nice_parcours_2025-S1.csv", PARCOURS_HEADER, [parcours_row("N1", "35/01/2025")]
    )
    run_ingest(warehouse, inbox)
    assert warehouse.sql("SELECT code_site, ligne FROM quarantaine ORDER BY 1").fetchall() == [
        ("06-nice", 2),
        ("77-meaux", 3),
    ]
    assert not _parcours_check(warehouse, "77-meaux")

    fixed = write_csv(
        inbox / "77-meaux_parcours_2025-S1 (1).csv",
        PARCOURS_HEADER,
        [parcours_row("A1", "05/01/2025"), parcours_row("A2", "28/02/2025")],
    )
    later = bad.stat().st_mtime + 60
    os.utime(fixed, (later, later))
    run_ingest(warehouse, inbox, run_id="correction")
    assert warehouse.sql("SELECT code_site FROM quarantaine").fetchall() == [("06-nice",)]
    assert _parcours_check(warehouse, "77-meaux")
    assert not _parcours_check(warehouse, "06-nice")
    assert warehouse.sql(
        "SELECT count(*) FROM raw_parcours WHERE code_site = '77-meaux'"
    ).fetchall() == [(2,)]
