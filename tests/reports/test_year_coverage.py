"""Which sites a year's national figures cover: those that delivered every semester's pathway
file of the year (the others count in the semesters they delivered only)."""

from __future__ import annotations

import polars as pl

from reports.packs.dataset import YearCoverage, year_coverage


def test_a_year_names_the_sites_that_delivered_part_of_it_or_nothing() -> None:
    sites = pl.DataFrame(
        {
            "periode": ["2025"] * 4,
            "libelle_site": ["Gamma", "Alpha", "Bêta", "Delta"],
            "toutes": [False, True, False, True],
            "une_partie": [False, True, True, True],
        }
    )
    assert year_coverage(sites) == YearCoverage(
        owing=4, complete=2, partial=("Bêta",), absent=("Gamma",)
    )
