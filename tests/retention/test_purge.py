"""Purge: exactly the rows past retention go, from every table, and from the file's bytes."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from pipelines.errors import IaeError
from pipelines.ingest.inbox import scan
from pipelines.ingest.pseudonymise import pseudonymise
from pipelines.intake.deliveries import IngestContext, ingest
from pipelines.referentials import load_referentials, read_sites, site_windows
from pipelines.warehouse import connection
from pipelines.warehouse.connection import connect
from pipelines.warehouse.models import build_all
from pipelines.warehouse.retention import purge, retention_limit
from pipelines.warehouse.schema import ensure_schema
from tests.conftest import PARCOURS_HEADER, SUIVI_HEADER, TEST_KEY, parcours_row, write_csv
from tests.warehouse.expected_indicators import FULL_TIME_HOURS
from tests.warehouse.warehouse_fixture import build_fixture, load_fixture

REL = "liberation_fin_de_peine"


def _pseudo(clear: str) -> str:
    return pseudonymise(pl.Series([clear]), TEST_KEY).item()


def _build(tmp_path: Path) -> Path:
    inbox = tmp_path / "boite"
    write_csv(
        inbox / "77-meaux_parcours_2021-S1.csv",
        PARCOURS_HEADER,
        [
            parcours_row(
                "ANCIEN1", "05/01/2021", "20/05/2021", REL, "emploi_durable", mesure="oui"
            ),
            parcours_row("LONGUE1", "05/02/2021"),
        ],
    )
    write_csv(
        inbox / "77-meaux_parcours_2023-S2.csv",
        PARCOURS_HEADER,
        [
            parcours_row(
                "LONGUE1", "05/02/2021", "10/10/2023", REL, "emploi_durable", heures="400"
            ),
            parcours_row("RECENT1", "05/09/2023"),
        ],
    )
    write_csv(
        inbox / "77-meaux_suivi_2021-S2.csv",
        SUIVI_HEADER,
        [["ANCIEN1", "20/05/2021", "01/09/2021", "emploi_durable", ""]],
    )
    write_csv(
        inbox / "national_reincarcerations_2021-S2.csv",
        ["identifiant", "date_ecrou"],
        [["ANCIEN1", "15/11/2021"]],
    )
    write_csv(
        inbox / "national_reincarcerations_2023-S2.csv",
        ["identifiant", "date_ecrou"],
        [["AUTRE9", "15/11/2023"]],
    )
    path = tmp_path / "entrepot.duckdb"
    with connect(path) as con:
        ensure_schema(con)
        load_referentials(con, read_sites(None))
        ctx = IngestContext(
            TEST_KEY, site_windows(con), date(2026, 11, 27), datetime(2026, 11, 27), "r"
        )
        ingest(con, scan(inbox), ctx)
    return path


def test_purge_removes_exactly_what_is_past_retention(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(connection.DUCKDB_CONFIG, "force_compression", "uncompressed")
    warehouse = _build(tmp_path)
    gone, kept = _pseudo("ANCIEN1"), [_pseudo("LONGUE1"), _pseudo("RECENT1"), _pseudo("AUTRE9")]
    assert gone.encode() in warehouse.read_bytes()

    limit = retention_limit(date(2025, 1, 15), 36)
    assert limit == date(2022, 1, 15)
    simulated = purge(warehouse, limit, simulate=True, rebuild=lambda con: None)
    assert simulated.rows == {
        "parcours": 1,
        "personnel": 0,
        "suivi": 1,
        "reincarcerations": 1,
        "anomalies": 0,
    }
    assert gone.encode() in warehouse.read_bytes()

    report = purge(warehouse, limit, simulate=False, rebuild=lambda con: None)
    assert report.rows == simulated.rows
    content = warehouse.read_bytes()
    assert gone.encode() not in content
    assert all(k.encode() in content for k in kept)
    with connect(warehouse, read_only=True) as con:
        remaining = con.sql(
            "SELECT identifiant, periode FROM raw_parcours ORDER BY periode, identifiant"
        ).fetchall()
        assert sorted(remaining) == sorted(
            [(kept[0], "2021-S1"), (kept[0], "2023-S2"), (kept[1], "2023-S2")]
        )
        assert con.sql("SELECT count(*) FROM raw_suivi").fetchall() == [(0,)]
        assert con.sql("SELECT identifiant FROM raw_reincarcerations").fetchall() == [(kept[2],)]


def test_retention_shorter_than_the_reincarceration_window_is_refused() -> None:
    with pytest.raises(IaeError, match="12 mois"):
        retention_limit(date(2026, 11, 27), 6)


def test_results_since_opening_still_count_purged_pathways(tmp_path: Path) -> None:
    """A purge removes pathways, not the history of a site: from the period ending the day before
    its limit on, the results since opening are what they were (counted from the tallies of the
    pathways purged); earlier periods keep their figures frozen, though recomputed they change."""
    path = tmp_path / "entrepot.duckdb"
    cumulative = "indicateur IN (SELECT id FROM catalogue_indicateurs WHERE theme = 'cumul')"

    def figures(condition: str, table: str = "indicateurs") -> dict[tuple, float | None]:
        with connect(path, read_only=True) as con:
            rows = con.sql(
                f"SELECT maille, code_zone, periode, indicateur, valeur FROM {table} "
                f"WHERE {condition}"
            ).fetchall()
        return {row[:4]: row[4] for row in rows}

    with connect(path) as con:
        ensure_schema(con)
        load_referentials(con, read_sites(None))
        load_fixture(con, build_fixture())
        build_all(con, FULL_TIME_HOURS)
    limit = date(2025, 3, 1)
    kept_periods = "periode IN ('2025-S1', '2025-S2', '2026-S1', '2025', '2026')"
    before = figures(f"({cumulative}) AND {kept_periods}")
    old = "indicateur = 'entrees' AND periode = '2024-S2'"
    old_entries = figures(old)

    report = purge(path, limit, simulate=False, rebuild=lambda con: build_all(con, FULL_TIME_HOURS))

    assert report.rows["parcours"] > 0
    assert figures(f"({cumulative}) AND {kept_periods}") == before
    assert figures(old) == old_entries
    assert figures(old, "indicateurs_calcules") != old_entries
    with connect(path, read_only=True) as con:
        columns = {
            c for (c,) in con.sql("SELECT column_name FROM (DESCRIBE parcours_purges)").fetchall()
        }
        tallied = con.sql("SELECT sum(parcours) FROM parcours_purges").fetchall()[0][0]
    assert "identifiant" not in columns and tallied == report.rows["parcours"]


def test_a_warehouse_from_an_earlier_version_is_purged_too(tmp_path: Path) -> None:
    """The monthly purge may run before any `iae run` of a new version: the SQL macros it uses
    (semesters) are created first."""
    warehouse = _build(tmp_path)
    with connect(warehouse) as con:
        macros = con.sql(
            "SELECT DISTINCT function_name FROM duckdb_functions() "
            "WHERE function_type IN ('macro', 'table_macro') AND NOT internal"
        ).fetchall()
        for (name,) in macros:
            con.execute(f"DROP MACRO IF EXISTS {name}")
            con.execute(f"DROP MACRO TABLE IF EXISTS {name}")
    report = purge(warehouse, date(2022, 1, 15), simulate=True, rebuild=lambda con: None)
    assert report.rows["parcours"] == 1
