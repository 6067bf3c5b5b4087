"""The sites referential: read the shipped one and, for load tests, grow it with synthetic sites."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from generator.randomness import stream
from pipelines.paths import REFERENTIALS_DIR
from pipelines.periods import Semester

SITE_COLUMNS = (
    "code_site",
    "etablissement",
    "type_etablissement",
    "departement",
    "siae_nom",
    "siae_type",
    "activite",
    "date_ouverture",
    "date_fermeture",
    "etp_conventionnes",
)
SHIPPED_SITES = REFERENTIALS_DIR / "sites.csv"


@dataclass(frozen=True)
class Site:
    code: str
    etablissement: str
    type_etablissement: str
    departement: str
    siae_nom: str
    siae_type: str
    activite: str
    opening: date
    closing: date | None
    etp: int

    def first_period(self, floor: Semester) -> Semester:
        return max(Semester.containing(self.opening), floor)

    def last_period(self, ceiling: Semester) -> Semester:
        return ceiling if self.closing is None else min(Semester.containing(self.closing), ceiling)

    def as_row(self) -> dict[str, str]:
        return {
            "code_site": self.code,
            "etablissement": self.etablissement,
            "type_etablissement": self.type_etablissement,
            "departement": self.departement,
            "siae_nom": self.siae_nom,
            "siae_type": self.siae_type,
            "activite": self.activite,
            "date_ouverture": self.opening.isoformat(),
            "date_fermeture": self.closing.isoformat() if self.closing else "",
            "etp_conventionnes": str(self.etp),
        }


def load_sites(path: Path = SHIPPED_SITES) -> list[Site]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [_site(row) for row in csv.DictReader(handle)]


def _site(row: dict[str, str]) -> Site:
    return Site(
        code=row["code_site"],
        etablissement=row["etablissement"],
        type_etablissement=row["type_etablissement"],
        departement=row["departement"],
        siae_nom=row["siae_nom"],
        siae_type=row["siae_type"],
        activite=row["activite"],
        opening=date.fromisoformat(row["date_ouverture"]),
        closing=date.fromisoformat(row["date_fermeture"]) if row["date_fermeture"] else None,
        etp=int(float(row["etp_conventionnes"])),
    )


def copies_per_site(scale: float) -> int:
    """How many workshops each referential site stands for: volume grows as sites × capacity."""
    return max(1, round(math.sqrt(scale)))


def extend_sites(sites: list[Site], scale: float, seed: int, last: Semester) -> list[Site]:
    """Scale 1 is the referential itself; otherwise each site gets siblings and more capacity.

    A sibling is a second workshop of the same establishment (code `77-meaux-2`), opened later, so
    that the national volume is about `scale` times the referential's.
    """
    if scale == 1:
        return list(sites)
    copies = copies_per_site(scale)
    out: list[Site] = []
    for site in sites:
        etp = max(1, round(site.etp * scale / copies))
        out.append(replace(site, etp=etp))
        for rank in range(2, copies + 1):
            out.append(_sibling(site, rank, etp, seed, last))
    return out


def _sibling(site: Site, rank: int, etp: int, seed: int, last: Semester) -> Site:
    rng = stream(seed, "sibling", site.code, rank)
    latest = last.start if site.closing is None else site.closing - timedelta(days=365)
    shift = rng.randint(0, 30) * 30
    opening = min(site.opening + timedelta(days=shift), max(site.opening, latest)).replace(day=1)
    return replace(
        site,
        code=f"{site.code}-{rank}",
        siae_nom=f"{site.siae_nom} (atelier {rank})",
        opening=opening,
        etp=max(1, round(etp * rng.uniform(0.8, 1.2))),
    )


def sites_csv(sites: list[Site]) -> bytes:
    """The referential as the pipeline reads it (same columns as the shipped file)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SITE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(site.as_row() for site in sites)
    return buffer.getvalue().encode("utf-8")
