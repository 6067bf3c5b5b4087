"""Every indicator of DOMAIN.md §6, computed in plain Python from the fixture's facts.

Written from the definitions, not from the SQL: the warehouse must agree with it at every grain
and period. Zone figures are computed directly over the zone's pathways and people; that they are
sums of site figures is a consequence the tests check separately.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pipelines.codes import load_codes
from pipelines.periods import Semester, semesters_between
from tests.warehouse.warehouse_fixture import (
    FIRST,
    LAST,
    Fixture,
    Pathway,
    Staff,
    add_months,
    hours,
)

FULL_TIME_HOURS = 1350.0
# DOMAIN.md §5.2 and §6, written out here on purpose (the SQL reads them from codes.yaml).
EMPLOI_FORMATION = {"emploi_durable", "emploi_transition", "formation_qualifiante"}
DYNAMIQUES = EMPLOI_FORMATION | {"poursuite_iae_exterieur", "sortie_positive_autre"}
RELEASES = {"liberation_fin_de_peine", "liberation_amenagement", "liberation_autre"}

Key = tuple[str, str, str, str, str]  # maille, code_zone, type_periode, periode, indicateur
Row = tuple[
    float | None, float | None, float | None, bool
]  # numerateur, denominateur, valeur, mesurable


@dataclass(frozen=True)
class Period:
    kind: str  # semestre | annee
    code: str
    start: date
    end: date
    semesters: tuple[Semester, ...]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def share_of_year(self) -> float:
        return self.days / (date(self.start.year + 1, 1, 1) - date(self.start.year, 1, 1)).days

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def periods() -> list[Period]:
    """Semesters of the fixture, and years clipped to their delivered semesters."""
    semesters = semesters_between(FIRST, LAST)
    out = [Period("semestre", s.code, s.start, s.end, (s,)) for s in semesters]
    for year in sorted({s.year for s in semesters}):
        mine = tuple(s for s in semesters if s.year == year)
        out.append(Period("annee", str(year), mine[0].start, mine[-1].end, mine))
    return out


def zones(fx: Fixture) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = {("nation", "FR"): {s.code for s in fx.sites}}
    for s in fx.sites:
        out.setdefault(("site", s.code), set()).add(s.code)
        out.setdefault(("departement", s.departement), set()).add(s.code)
        out.setdefault(("disp", s.disp), set()).add(s.code)
    return out


def _present(day: date, start: date, end: date | None) -> bool:
    """Open on that day: started on or before it and not ended on or before it."""
    return start <= day and (end is None or end > day)


def _count(items: list, test: Callable) -> float:
    return float(sum(1 for item in items if test(item)))


def _rate(num: float, den: float) -> Row:
    return (num, den, num / den if den else None, True)


def _median(values: list[int]) -> Row:
    return (None, float(len(values)), float(statistics.median(values)) if values else None, True)


def _counts(p: Period, paths: list[Pathway]) -> dict[str, Row]:
    entries = [x for x in paths if p.contains(x.entree)]
    exits = [x for x in paths if p.contains(x.sortie)]
    releases = [x for x in exits if x.motif in RELEASES]
    out: dict[str, Row] = {}

    def count(name: str, value: float) -> None:
        out[name] = (value, None, value, True)

    count("entrees", float(len(entries)))
    count("sorties", float(len(exits)))
    count("presents_fin", _count(paths, lambda x: _present(p.end, x.entree, x.sortie)))
    count(
        "file_active",
        _count(paths, lambda x: x.entree <= p.end and (x.sortie is None or x.sortie >= p.start)),
    )
    count("liberations", float(len(releases)))
    count(
        "retours_detention_ordinaire",
        _count(exits, lambda x: x.motif == "retour_detention_ordinaire"),
    )
    count("sorties_emploi_formation", _count(releases, lambda x: x.situation in EMPLOI_FORMATION))
    for motif in load_codes()["motif_sortie"].values:
        count(f"sorties_{motif}", _count(exits, lambda x, m=motif: x.motif == m))
    for situation in load_codes()["situation_sortie"].values:
        count(f"liberations_{situation}", _count(releases, lambda x, s=situation: x.situation == s))

    n_releases = float(len(releases))
    out["taux_retour_detention_ordinaire"] = _rate(
        out["retours_detention_ordinaire"][0], float(len(exits))
    )
    out["taux_amenagement"] = _rate(
        _count(releases, lambda x: x.motif == "liberation_amenagement"), n_releases
    )
    out["taux_sortie_emploi_formation"] = _rate(out["sorties_emploi_formation"][0], n_releases)
    out["taux_emploi_durable"] = _rate(
        _count(releases, lambda x: x.situation == "emploi_durable"), n_releases
    )
    out["taux_sorties_dynamiques"] = _rate(
        _count(releases, lambda x: x.situation in DYNAMIQUES), n_releases
    )
    out["taux_situation_inconnue"] = _rate(
        _count(releases, lambda x: x.situation == "inconnue"), n_releases
    )
    out["taux_accompagnement_post_sortie"] = _rate(
        _count(releases, lambda x: x.accompagnement is True), n_releases
    )
    at_start = _count(paths, lambda x: _present(p.start, x.entree, x.sortie))
    at_end = out["presents_fin"][0]
    out["taux_rotation_operateurs"] = _rate(float(len(exits)), (at_start + at_end) / 2)
    out["delai_orientation_entree_median"] = _median(
        [(x.entree - x.orientation).days for x in entries if x.orientation is not None]
    )
    out["duree_parcours_mediane"] = _median([(x.sortie - x.entree).days for x in exits])
    out |= _profile(entries)
    return out


def _profile(entries: list[Pathway]) -> dict[str, Row]:
    def share(value: Callable[[Pathway], bool | None]) -> Row:
        known = [value(x) for x in entries if value(x) is not None]
        return _rate(float(sum(known)), float(len(known)))

    return {
        "part_femmes": share(lambda x: None if x.sexe is None else x.sexe == "F"),
        "part_moins_26_ans": share(
            lambda x: None if x.naissance is None else x.entree.year - x.naissance < 26
        ),
        "part_sans_diplome": share(
            lambda x: None if x.diplome in (None, "inconnu") else x.diplome == "aucun"
        ),
        "part_quantum_hors_4_36": share(
            lambda x: None if x.quantum is None else not 4 <= x.quantum <= 36
        ),
        "part_prevenus": share(lambda x: None if x.statut is None else x.statut == "prevenu"),
    }


def _activity(fx: Fixture, p: Period, sites: list[str], paths: list[Pathway]) -> dict[str, Row]:
    worked = sum(
        hours(x, s) for x in paths for s in p.semesters if x.is_open_during(s.start, s.end)
    )
    etp = worked / (FULL_TIME_HOURS * p.share_of_year)
    contracted = sum(
        fx.site(code).etp * fx.site(code).open_days(p.start, p.end) / p.days for code in sites
    )
    return {"etp_realises": (etp, None, etp, True), "taux_occupation": _rate(etp, contracted)}


def _reincarceration(fx: Fixture, p: Period, paths: list[Pathway]) -> dict[str, Row]:
    """Cohort: (site, person) released in the period, at their first release of the period."""
    first_release: dict[tuple[str, str], date] = {}
    for x in paths:
        if x.motif in RELEASES and p.contains(x.sortie):
            key = (x.site, x.person)
            first_release[key] = min(first_release.get(key, x.sortie), x.sortie)
    reference = max(s.end for s in fx.national_semesters) if fx.national_semesters else None
    out: dict[str, Row] = {}
    for months in (6, 12):
        cohort = float(len(first_release))
        if reference is None or add_months(p.end, months) > reference:
            out[f"taux_reincarceration_{months}m"] = (None, cohort, None, False)
            continue
        again = sum(
            1
            for (_, person), released in first_release.items()
            if any(
                who == person and released < day <= add_months(released, months)
                for who, day in fx.ecrous
            )
        )
        out[f"taux_reincarceration_{months}m"] = _rate(float(again), cohort)
    return out


def _staff(p: Period, staff: list[Staff]) -> dict[str, Row]:
    at_start = _count(staff, lambda s: _present(p.start, s.arrivee, s.depart))
    at_end = [s for s in staff if _present(p.end, s.arrivee, s.depart)]
    departures = _count(staff, lambda s: p.contains(s.depart))
    return {
        "taux_rotation_personnel": _rate(departures, (at_start + len(at_end)) / 2),
        "anciennete_mediane_personnel": _median([(p.end - s.arrivee).days for s in at_end]),
    }


def expected_indicators(fx: Fixture) -> dict[Key, Row]:
    """Every indicator for every zone and period in which one of the zone's sites is open."""
    out: dict[Key, Row] = {}
    for p in periods():
        open_sites = {s.code for s in fx.sites if s.is_open(p.start, p.end)}
        for (grain, zone), members in zones(fx).items():
            sites = sorted(members & open_sites)
            if not sites:
                continue
            paths = [x for x in fx.pathways if x.site in sites]
            values = (
                _counts(p, paths)
                | _activity(fx, p, sites, paths)
                | _reincarceration(fx, p, paths)
                | _staff(p, [s for s in fx.staff if s.site in sites])
            )
            for indicator, row in values.items():
                out[grain, zone, p.kind, p.code, indicator] = row
    return out
