"""The SQL semester macros (sql/schema/00_semestres.sql) and pipelines/periods.py agree: bounds,
the semester of a day, due dates and the list between two semesters."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

from pipelines.paths import SQL_DIR
from pipelines.periods import Semester, semesters_between
from pipelines.warehouse.sql_files import run_file

FIRST, LAST = Semester(2015, 2), Semester(2031, 1)


def _macros() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    run_file(con, SQL_DIR / "schema" / "00_semestres.sql")
    return con


def test_bounds_and_due_dates_match_python() -> None:
    con = _macros()
    for semester in semesters_between(FIRST, LAST):
        for months_after, day in ((2, 15), (1, 31), (3, 1)):
            row = con.execute(
                "SELECT semestre_debut($p), semestre_fin($p), semestre_echeance($p, $m, $d), "
                "semestre_indice($p) + 1 = semestre_indice($n)",
                {
                    "p": semester.code,
                    "n": semester.next().code,
                    "m": months_after,
                    "d": min(day, 28),
                },
            ).fetchone()
            assert row == (
                semester.start,
                semester.end,
                semester.due_date(months_after, min(day, 28)),
                True,
            ), semester


def test_the_semester_of_each_day_matches_python() -> None:
    con = _macros()
    days = [date(2024, 1, 1) + timedelta(days=n) for n in range(0, 800, 7)]
    days += [date(2025, 6, 30), date(2025, 7, 1), date(2025, 12, 31)]
    got = [con.execute("SELECT semestre_contenant($d)", {"d": d}).fetchone()[0] for d in days]
    assert got == [Semester.containing(d).code for d in days]


def test_semesters_between_lists_every_semester_once() -> None:
    con = _macros()
    rows = con.execute(
        "SELECT periode, annee, debut, fin FROM semestres_entre($a, $b) ORDER BY debut",
        {"a": FIRST.code, "b": LAST.code},
    ).fetchall()
    assert rows == [(s.code, s.year, s.start, s.end) for s in semesters_between(FIRST, LAST)]
