"""Every indicator of docs/indicateurs.md, computed in plain Python from the fixture's facts.

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
    DATA_END,
    FIRST,
    LAST,
    Fixture,
    Observation,
    Pathway,
    Staff,
    add_months,
    hours,
)

FULL_TIME_HOURS = 1350.0
# Code groupings (docs/exports.md), written out here on purpose (the SQL reads them from codes.yaml).
EMPLOI_FORMATION = {"emploi_durable", "emploi_transition", "formation_qualifiante"}
DYNAMIQUES = EMPLOI_FORMATION | {"poursuite_iae_exterieur", "sortie_positive_autre"}
RELEASES = {"liberation_fin_de_peine", "liberation_amenagement", "liberation_autre"}
# Release sub-cohorts of the re-incarceration rates, by the person's first release of the period.
SUB_COHORTS: dict[str, Callable[[Pathway], bool]] = {
    "": lambda x: True,
    "_amenagement": lambda x: x.motif == "liberation_amenagement",
    "_sans_amenagement": lambda x: x.motif != "liberation_amenagement",
    "_emploi_formation": lambda x: x.situation in EMPLOI_FORMATION,
    "_sans_emploi_formation": lambda x: x.situation not in EMPLOI_FORMATION,
}
FOLLOW_UP_HORIZONS = (3, 6)  # months; the window runs from one month before to one month after

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
        out.setdefault(("region", f"R{s.region}"), set()).add(s.code)
        out.setdefault(("disp", s.disp), set()).add(s.code)
        out.setdefault(("type_siae", s.siae_type), set()).add(s.code)
        out.setdefault(("type_etablissement", s.type_etablissement), set()).add(s.code)
    return out


def _present(day: date, start: date, end: date | None) -> bool:
    """Open on that day: started on or before it and not ended on or before it."""
    return start <= day and (end is None or end > day)


def _count(items: list, test: Callable) -> float:
    return float(sum(1 for item in items if test(item)))


def _rate(num: float, den: float) -> Row:
    return (num, den, num / den if den else None, True)


def _windowed(num: float, den: float, measurable: bool) -> Row:
    """A rate with a window: numerator and value only once the window has elapsed."""
    return _rate(num, den) if measurable else (None, den, None, False)


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
    adjusted = _count(releases, lambda x: x.motif == "liberation_amenagement")
    for kind in load_codes()["type_amenagement"].values:
        count(f"amenagements_{kind}", _count(releases, lambda x, k=kind: x.amenagement == k))
        out[f"part_amenagement_{kind}"] = _rate(out[f"amenagements_{kind}"][0], adjusted)

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
    out |= _profile(entries) | _training(exits)
    return out


def _training(exits: list[Pathway]) -> dict[str, Row]:
    """Read at the exit: the pathway's final CléA, trainings and PMSMP, over exits where given."""
    clea = [x.clea for x in exits if x.clea is not None]
    formations = [x.formations for x in exits if x.formations is not None]
    pmsmp = [x.pmsmp for x in exits if x.pmsmp is not None]
    n_formations, n_pmsmp = float(sum(formations)), float(sum(pmsmp))
    return {
        "sorties_clea": (float(sum(clea)), None, float(sum(clea)), True),
        "taux_clea": _rate(float(sum(clea)), float(len(clea))),
        "formations_suivies": (n_formations, None, n_formations, True),
        "taux_sortants_formes": _rate(_count(formations, lambda n: n > 0), float(len(formations))),
        "formations_par_sortie": _rate(n_formations, float(len(formations))),
        "pmsmp_realisees": (n_pmsmp, None, n_pmsmp, True),
        "taux_sortants_pmsmp": _rate(_count(pmsmp, lambda n: n > 0), float(len(pmsmp))),
        "pmsmp_par_sortie": _rate(n_pmsmp, float(len(pmsmp))),
    }


def _cumulative(p: Period, paths: list[Pathway]) -> dict[str, Row]:
    """Pathways entered by the period's last day, by what had become of them on that day."""
    entered = [x for x in paths if x.entree <= p.end]
    ended = [x for x in entered if x.sortie is not None and x.sortie <= p.end]

    def returned(x: Pathway) -> bool:
        return x.motif == "retour_detention_ordinaire"

    def job(x: Pathway) -> bool:
        return x.motif in RELEASES and x.situation in EMPLOI_FORMATION

    counts = {
        "entrees_cumulees": float(len(entered)),
        "cumul_presents": float(len(entered) - len(ended)),
        "cumul_retours_detention_ordinaire": _count(ended, returned),
        "cumul_sorties_emploi_formation": _count(ended, job),
        "cumul_autres_sorties": _count(ended, lambda x: not returned(x) and not job(x)),
    }
    out: dict[str, Row] = {name: (v, None, v, True) for name, v in counts.items()}
    out["taux_cumul_retour_detention_ordinaire"] = _rate(
        counts["cumul_retours_detention_ordinaire"], float(len(entered))
    )
    out["taux_cumul_sortie_emploi_formation"] = _rate(
        counts["cumul_sorties_emploi_formation"], float(len(entered))
    )
    return out


def _profile(entries: list[Pathway]) -> dict[str, Row]:
    def share(value: Callable[[Pathway], bool | None]) -> Row:
        known = [value(x) for x in entries if value(x) is not None]
        return _rate(float(sum(known)), float(len(known)))

    return {
        "part_femmes": share(lambda x: x.sexe == "F"),
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


def _deployment(fx: Fixture, p: Period, sites: list[str]) -> dict[str, Row]:
    """Sites and prisons open on the period's last day; contracted posts prorated by days open."""
    open_at_end = [fx.site(c) for c in sites if fx.site(c).is_open(p.end, p.end)]
    prisons = float(len({s.etablissement for s in open_at_end}))
    posts = sum(fx.site(c).etp * fx.site(c).open_days(p.start, p.end) / p.days for c in sites)
    return {
        "sites_ouverts": (float(len(open_at_end)), None, float(len(open_at_end)), True),
        "etablissements_couverts": (prisons, None, prisons, True),
        "postes_conventionnes": (posts, None, posts, True),
    }


def _reincarceration(fx: Fixture, p: Period, paths: list[Pathway]) -> dict[str, Row]:
    """Cohort: (site, person) released in a semester, at their first release of that semester; a
    year's cohort is its semesters' (someone released in each counts twice); sub-cohorts by the
    kind of that first release."""
    first_release: dict[tuple[str, str, Semester], Pathway] = {}
    for x in sorted(paths, key=lambda x: (x.sortie or date.max, x.entree)):
        if x.motif in RELEASES and p.contains(x.sortie):
            first_release.setdefault((x.site, x.person, Semester.containing(x.sortie)), x)
    reference = max(s.end for s in fx.national_semesters) if fx.national_semesters else None
    out: dict[str, Row] = {}
    for months in (6, 12):
        measurable = reference is not None and add_months(p.end, months) <= reference
        for suffix, belongs in SUB_COHORTS.items():
            cohort = [x for x in first_release.values() if belongs(x)]
            again = _count(
                cohort,
                lambda x, m=months: any(
                    who == x.person and x.sortie < day <= add_months(x.sortie, m)
                    for who, day in fx.ecrous
                ),
            )
            out[f"taux_reincarceration_{months}m{suffix}"] = _windowed(
                again, float(len(cohort)), measurable
            )
    return out


def _situation_at(release: Pathway, seen: list[Observation], months: int) -> str | None:
    """The observation closest to the horizon in its window (the later on a tie); else
    'reincarcere' if a re-incarceration was seen before the window; else not known (None)."""
    start, horizon, end = (add_months(release.sortie, m) for m in (months - 1, months, months + 1))
    window = [o for o in seen if start <= o.day <= end]
    if window:
        return min(
            window, key=lambda o: (abs((o.day - horizon).days), -o.day.toordinal())
        ).situation
    if any(o.reincarceration is not None and o.reincarceration < start for o in seen):
        return "reincarcere"
    return None


def _follow_up(fx: Fixture, p: Period, paths: list[Pathway]) -> dict[str, Row]:
    """Releases of the period under a follow-up measure, by their situation at 3 and 6 months."""
    cohort = [x for x in paths if x.motif in RELEASES and p.contains(x.sortie) and x.mesure_suivi]
    out: dict[str, Row] = {
        "liberations_mesure_suivi": (float(len(cohort)), None, float(len(cohort)), True)
    }
    for months in FOLLOW_UP_HORIZONS:
        measurable = add_months(p.end, months + 1) <= DATA_END
        situations = [
            _situation_at(
                x,
                [
                    o
                    for o in fx.observations
                    if (o.site, o.person, o.sortie) == (x.site, x.person, x.sortie)
                ],
                months,
            )
            for x in cohort
        ]
        known = [s for s in situations if s is not None]
        out[f"taux_suivi_observe_{months}m"] = _windowed(
            float(len(known)), float(len(cohort)), measurable
        )
        out[f"taux_emploi_formation_suivi_{months}m"] = _windowed(
            _count(known, lambda s: s in EMPLOI_FORMATION), float(len(known)), measurable
        )
    return out


def _staff(p: Period, staff: list[Staff], suffix: str = "") -> dict[str, Row]:
    at_start = _count(staff, lambda s: _present(p.start, s.arrivee, s.depart))
    at_end = [s for s in staff if _present(p.end, s.arrivee, s.depart)]
    departures = _count(staff, lambda s: p.contains(s.depart))
    return {
        f"taux_rotation_personnel{suffix}": _rate(departures, (at_start + len(at_end)) / 2),
        f"anciennete_mediane_personnel{suffix}": _median(
            [(p.end - s.arrivee).days for s in at_end]
        ),
    }


def _staff_by_role(p: Period, staff: list[Staff], posts: float) -> dict[str, Row]:
    """Staff figures for all staff and each role; staff full-time equivalents per contracted post."""
    out = _staff(p, staff)
    for role in load_codes()["fonction"].values:
        out |= _staff(p, [s for s in staff if s.fonction == role], f"_{role}")
    etp_start = sum(s.etp for s in staff if _present(p.start, s.arrivee, s.depart))
    etp_end = sum(s.etp for s in staff if _present(p.end, s.arrivee, s.depart))
    out["encadrement_par_poste"] = _rate((etp_start + etp_end) / 2, posts)
    return out


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
            deployment = _deployment(fx, p, sites)
            values = (
                _counts(p, paths)
                | _activity(fx, p, sites, paths)
                | deployment
                | _reincarceration(fx, p, paths)
                | _follow_up(fx, p, paths)
                | _cumulative(p, paths)
                | _staff_by_role(
                    p,
                    [s for s in fx.staff if s.site in sites],
                    deployment["postes_conventionnes"][0],
                )
            )
            for indicator, row in values.items():
                out[grain, zone, p.kind, p.code, indicator] = row
    return out
