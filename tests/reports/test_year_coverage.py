"""Which sites a year's national figures cover: those that delivered every semester's pathway
file of the year (the others count in the semesters they delivered only)."""

from __future__ import annotations

import polars as pl

from reports.packs.dataset import YearCoverage, year_coverage


def _owed(site: str, export: str, semester: str, delivered: bool) -> dict:
    return {
        "libelle_site": site,
        "type_export": export,
        "periode": semester,
        "livree": delivered,
    }


def test_a_year_covers_the_sites_that_delivered_each_of_its_semesters() -> None:
    deliveries = pl.DataFrame(
        [
            _owed("Alpha", "parcours", "2025-S1", True),
            _owed("Alpha", "parcours", "2025-S2", True),
            _owed("Alpha", "personnel", "2025-S2", False),  # staff: not what the year covers
            _owed("Bêta", "parcours", "2025-S1", False),
            _owed("Bêta", "parcours", "2025-S2", True),
            _owed("Delta", "parcours", "2025-S2", True),  # opened in the second semester
            _owed("Gamma", "parcours", "2025-S1", False),
            _owed("Gamma", "parcours", "2025-S2", False),
        ]
    )
    assert year_coverage(deliveries) == YearCoverage(
        owing=4, complete=2, partial=("Bêta",), absent=("Gamma",)
    )
