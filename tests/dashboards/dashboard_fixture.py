"""A small national inbox for the dashboard tests, run through the real pipeline.

Six sites of the shipped referential in four departments and three DISPs, two semesters, and a
national re-incarceration extract. Each department has its own mix of releases into a job or
training and returns to ordinary detention, so that ranking the departments on one figure or on
another gives two different orders; Nice has three pathways a semester, counts hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.conftest import PARCOURS_HEADER, parcours_row, write_csv

SEMESTERS = {"2025-S1": ("10/01/2025", "20/04/2025"), "2025-S2": ("10/07/2025", "20/10/2025")}
LATEST = "2025-S2"


@dataclass(frozen=True)
class Site:
    code: str
    jobs: int  # releases into a durable job
    other_releases: int  # releases with no solution
    returns: int  # returns to ordinary detention
    more_jobs_later: int = 2  # in the latest semester: figures move from one to the other

    def pathways(self, semester: str) -> list[tuple[str, str]]:
        """(motif, situation) of each pathway the site ends in the semester."""
        jobs = self.jobs + (self.more_jobs_later if semester == LATEST else 0)
        return (
            [("liberation_fin_de_peine", "emploi_durable")] * jobs
            + [("liberation_fin_de_peine", "sans_solution")] * self.other_releases
            + [("retour_detention_ordinaire", "")] * self.returns
        )


SITES = [
    Site("77-meaux", jobs=14, other_releases=6, returns=5),
    Site("75-la-sante", jobs=6, other_releases=9, returns=6),
    Site("67-oermingen", jobs=3, other_releases=9, returns=10),
    Site("67-strasbourg", jobs=5, other_releases=7, returns=5),
    Site("57-metz", jobs=6, other_releases=6, returns=5),
    Site("06-nice", jobs=1, other_releases=2, returns=0, more_jobs_later=0),
]
SMALL_SITE = "06-nice"

# Two of Meaux's first-semester releases are incarcerated again within six months, one in each
# semester: the national extract is delivered for both, as a six-month window spans both.
REINCARCERATED = {
    "2025-S1": [("77-meaux-2025-S1-001", "15/06/2025")],
    "2025-S2": [("77-meaux-2025-S1-002", "01/10/2025")],
}


def person(site: str, semester: str, number: int) -> str:
    """The identifier a site writes in its file (pseudonymised at ingest)."""
    return f"{site}-{semester}-{number:03d}"


def write_inbox(inbox: Path) -> list[str]:
    """Write every site file and the national extract; returns the identifiers written."""
    written = []
    for site in SITES:
        for semester, (entry, exit_) in SEMESTERS.items():
            rows = []
            for number, (motif, situation) in enumerate(site.pathways(semester), start=1):
                identifier = person(site.code, semester, number)
                written.append(identifier)
                rows.append(parcours_row(identifier, entry, exit_, motif, situation))
            write_csv(inbox / f"{site.code}_parcours_{semester}.csv", PARCOURS_HEADER, rows)
    for semester, rows in REINCARCERATED.items():
        write_csv(
            inbox / f"national_reincarcerations_{semester}.csv",
            ["identifiant", "date_ecrou"],
            [list(r) for r in rows],
        )
    return written
