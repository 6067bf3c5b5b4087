"""Files that should not be published as they are: still arriving, too big, or a correction that
loses most of the rows in force (a transfer cut short looks exactly like that)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from pipelines.ingest.inbox import scan, still_arriving
from pipelines.intake import deliveries
from pipelines.intake.deliveries import IMMEDIATE, IngestContext, IngestSummary, ingest
from pipelines.referentials import site_windows
from pipelines.settings import Safeguards, Settings, Thresholds
from pipelines.warehouse.landing import RegisterEntry
from pipelines.warehouse.models import build_all
from pipelines.warehouse.quality import build_quality_tables
from reports.quality import RunInfo, render_quality_reports, site_page
from tests.conftest import PARCOURS_HEADER, TEST_KEY, TODAY, parcours_row, write_csv

PARCOURS = "77-meaux_parcours_2025-S1"


def _rows(count: int) -> list[list[str]]:
    return [parcours_row(f"P{n:03d}", "05/01/2025") for n in range(count)]


def _ingest(
    con: duckdb.DuckDBPyConnection, inbox: Path, run_id: str, safeguards: Safeguards
) -> IngestSummary:
    ctx = IngestContext(TEST_KEY, site_windows(con), TODAY, datetime(2026, 11, 27), run_id)
    return ingest(con, scan(inbox), replace(ctx, safeguards=safeguards))


def _later(path: Path, than: Path, seconds: int = 60) -> Path:
    os.utime(path, (than.stat().st_mtime + seconds,) * 2)
    return path


def _correct(
    con: duckdb.DuckDBPyConnection,
    inbox: Path,
    write: Callable[[Path], Path],
    safeguards: Safeguards = IMMEDIATE,
    in_force: int = 30,
) -> tuple[Path, Path, list[RegisterEntry]]:
    """A delivery of `in_force` rows, then a re-sent file written later by `write`: both files
    and the register entries of the re-sending."""
    first = write_csv(inbox / f"{PARCOURS}.csv", PARCOURS_HEADER, _rows(in_force))
    _ingest(con, inbox, "livraison", IMMEDIATE)
    again = _later(write(inbox), first)
    return first, again, _ingest(con, inbox, "renvoi", safeguards).entries


def _csv(name: str, rows: int) -> Callable[[Path], Path]:
    return lambda inbox: write_csv(inbox / name, PARCOURS_HEADER, _rows(rows))


def _rows_in_force(con: duckdb.DuckDBPyConnection) -> tuple[str, int]:
    [(name, rows)] = con.sql(
        "SELECT l.fichier, (SELECT count(*) FROM raw_parcours WHERE code_site = '77-meaux') "
        "FROM livraisons AS l WHERE l.active AND l.code_site = '77-meaux'"
    ).fetchall()
    return name, rows


def test_in_progress_names_are_never_taken(tmp_path: Path) -> None:
    inbox = tmp_path / "boite"
    final = write_csv(inbox / f"{PARCOURS}.csv", PARCOURS_HEADER, _rows(2))
    for name in (
        f"{PARCOURS}.csv.part",
        f"{PARCOURS}.csv.tmp",
        f"{PARCOURS}.csv.crdownload",
        f"~${PARCOURS}.xlsx",
    ):
        write_csv(inbox / name, PARCOURS_HEADER, _rows(1))
    assert [f.path for f in scan(inbox)] == [final]


def test_a_file_whose_size_moves_during_the_delay_is_still_arriving(tmp_path: Path) -> None:
    inbox = tmp_path / "boite"
    growing = write_csv(inbox / f"{PARCOURS}.csv", PARCOURS_HEADER, _rows(5))
    still = write_csv(inbox / "06-nice_parcours_2025-S1.csv", PARCOURS_HEADER, _rows(5))
    mtime = growing.stat().st_mtime_ns

    def sender_keeps_writing(seconds: float) -> None:
        assert seconds == 2.0
        with growing.open(
            "ab"
        ) as handle:  # a copy that keeps the source's date: only the size moves
            handle.write(b"P999;H;1990\r\n")
        os.utime(growing, ns=(mtime, mtime))

    assert still_arriving(scan(inbox), 2.0, wait=sender_keeps_writing) == {growing}
    assert still not in still_arriving(scan(inbox), 2.0, wait=lambda _: None)
    assert still_arriving(scan(inbox), 0.0, wait=sender_keeps_writing) == set()


def test_a_half_written_file_is_not_taken_until_it_settles(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "boite"
    path = inbox / f"{PARCOURS}.csv"
    write_csv(path, PARCOURS_HEADER, _rows(32))
    full = path.read_bytes()
    path.write_bytes(full[: len(full) // 2])

    def rest_arrives(seconds: float) -> None:
        path.write_bytes(full)

    monkeypatch.setattr(
        deliveries, "still_arriving", functools.partial(still_arriving, wait=rest_arrives)
    )
    summary = _ingest(warehouse, inbox, "pendant", replace(IMMEDIATE, settle_seconds=1.0))
    assert summary.entries == []
    assert warehouse.sql("SELECT count(*) FROM livraisons").fetchall() == [(0,)]

    monkeypatch.undo()
    summary = _ingest(warehouse, inbox, "apres", IMMEDIATE)
    assert [(e.statut, e.lignes_recues) for e in summary.entries] == [("acceptee", 32)]


def _render_quality(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> Path:
    settings = Settings(home=tmp_path, inbox=tmp_path / "boite", today=TODAY)
    build_all(con, settings.annual_full_time_hours)
    build_quality_tables(con, settings)
    target = tmp_path / "qualite"
    render_quality_reports(
        con, target, RunInfo("run", "30/06/2025", "1.0", "27/11/2026"), Thresholds()
    )
    return target


def test_a_90_percent_drop_is_held_until_the_steward_confirms(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = tmp_path / "boite"
    first, cut, [held] = _correct(warehouse, inbox, _csv(f"{PARCOURS} (1).csv", 3))
    assert (held.statut, held.active, held.lignes_recues) == ("a_confirmer", False, 3)
    assert "3 ligne(s) contre 30" in held.motif_rejet and "−90 %" in held.motif_rejet
    assert f"à la fin de son nom : {PARCOURS} (1)_confirme.csv ;" in held.correction_rejet
    assert _rows_in_force(warehouse) == (first.name, 30)

    pages = _render_quality(warehouse, tmp_path)
    site = (pages / site_page("77-meaux", "2025-S1")).read_text(encoding="utf-8")
    national = (pages / "index.html").read_text(encoding="utf-8")
    for page in (site, national):
        assert "Corrections à confirmer" in page and cut.name in page and "_confirme" in page

    confirmed = _later(_csv(f"{PARCOURS}_confirme.csv", 3)(inbox), cut)
    [accepted] = _ingest(warehouse, inbox, "confirmation", IMMEDIATE).entries
    assert (accepted.fichier, accepted.statut) == (confirmed.name, "acceptee")
    assert _rows_in_force(warehouse) == (confirmed.name, 3)
    pages = _render_quality(warehouse, tmp_path)
    assert "Corrections à confirmer" not in (pages / "index.html").read_text(encoding="utf-8")


def test_a_smaller_drop_is_a_plain_correction(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    _, fixed, [entry] = _correct(warehouse, tmp_path / "boite", _csv(f"{PARCOURS}_v2.csv", 20))
    assert entry.statut == "acceptee"
    assert _rows_in_force(warehouse) == (fixed.name, 20)


def _xlsx(path: Path, rows: list[list[str]]) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    for line, row in enumerate([PARCOURS_HEADER, *rows]):
        sheet.write_row(line, 0, row)
    workbook.close()
    return path


@pytest.mark.parametrize(
    ("limits", "write", "rule"),
    [
        (
            replace(IMMEDIATE, max_file_rows=10),
            _csv(f"{PARCOURS}_v2.csv", 11),
            "trop_de_lignes",
        ),
        (
            replace(IMMEDIATE, max_file_rows=10),
            lambda inbox: _xlsx(inbox / f"{PARCOURS}_v2.xlsx", _rows(40)),
            "trop_de_lignes",
        ),
        (
            replace(IMMEDIATE, max_file_megabytes=0.001),
            _csv(f"{PARCOURS}_v2.csv", 11),
            "fichier_trop_volumineux",
        ),
    ],
)
def test_an_oversized_file_is_refused_and_the_delivery_in_force_stays(
    tmp_path: Path,
    warehouse: duckdb.DuckDBPyConnection,
    limits: Safeguards,
    write: Callable[[Path], Path],
    rule: str,
) -> None:
    first, big, [entry] = _correct(warehouse, tmp_path / "boite", write, limits, in_force=10)
    assert (entry.fichier, entry.statut, entry.regle_rejet) == (big.name, "rejetee", rule)
    assert "limite" in entry.motif_rejet
    assert _rows_in_force(warehouse) == (first.name, 10)
