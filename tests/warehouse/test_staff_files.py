"""A semester's permanent staff are the stays its personnel file lists, each in its latest state."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.settings import Settings
from pipelines.warehouse.models import build_all
from tests.conftest import PARCOURS_HEADER, TODAY, parcours_row, run_ingest, write_csv

STAFF_HEADER = ["identifiant_salarie", "fonction", "date_arrivee", "date_depart", "etp"]
STAFF = {
    # the arrival date of SAL-1 is corrected in the second file; SAL-3 arrives in February
    "2025-S2": [
        ["SAL-1", "encadrant_technique", "01/09/2019", "", "1"],
        ["SAL-2", "cip", "01/03/2021", "", "0,5"],
    ],
    "2026-S1": [
        ["SAL-1", "encadrant_technique", "02/09/2019", "", "1"],
        ["SAL-2", "cip", "01/03/2021", "", "0,5"],
        ["SAL-3", "cip", "01/02/2026", "", "1"],
    ],
}


def test_a_stay_is_counted_in_the_semesters_whose_file_lists_it(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = tmp_path / "boite"
    for semester, rows in STAFF.items():
        write_csv(inbox / f"77-meaux_personnel_{semester}.csv", STAFF_HEADER, rows)
        entry = "05/07/2025" if semester == "2025-S2" else "05/01/2026"
        write_csv(
            inbox / f"77-meaux_parcours_{semester}.csv",
            PARCOURS_HEADER,
            [parcours_row("P1", entry)],
        )
    run_ingest(warehouse, inbox)
    build_all(warehouse, Settings(home=tmp_path, inbox=inbox, today=TODAY).annual_full_time_hours)

    def present(semester: str, day: str) -> int:
        """Who the semester's file lists as present on its first or last day."""
        start, end = (
            ("01/07/2025", "31/12/2025") if semester == "2025-S2" else ("01/01/2026", "30/06/2026")
        )
        on = start if day == "debut" else end
        listed = {row[0] for row in STAFF[semester] if _date(row[2]) <= _date(on)}
        return len(listed)

    measured = dict(
        warehouse.sql(
            "SELECT periode || ' ' || mesure, valeur FROM mesures_personnel "
            "WHERE code_site = '77-meaux' AND type_periode = 'semestre' "
            "AND mesure IN ('personnel_debut', 'personnel_fin')"
        ).fetchall()
    )
    for semester in STAFF:
        for day in ("debut", "fin"):
            assert measured[f"{semester} personnel_{day}"] == present(semester, day), (
                semester,
                day,
            )


def _date(text: str) -> tuple[int, int, int]:
    day, month, year = text.split("/")
    return int(year), int(month), int(day)
