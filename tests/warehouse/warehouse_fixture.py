"""A hand-built warehouse: four sites in two departments of two DISPs (two workshops share one
prison), four semesters of pathways, staff, follow-up observations after release and national
re-incarceration extracts, written straight into the raw tables and the `livraisons` register as
ingestion would leave them.

Pathways are known facts (entry, exit, profile); the loader writes them the way sites deliver
them — one row per semester the pathway is open, exit columns only in the semester of the exit,
that semester's hours — so that the SQL has to rebuild the facts to get the expected figures.
"""

from __future__ import annotations

import random
from calendar import monthrange
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import duckdb
import polars as pl

from pipelines.periods import Semester, semesters_between

FIRST = Semester(2024, 2)
LAST = Semester(2026, 1)
DATA_END = LAST.end
NATIONAL = "national"


@dataclass(frozen=True)
class Site:
    code: str
    departement: str
    region: str
    disp: str
    opened: date
    closed: date | None
    etp: float
    etablissement: str
    type_etablissement: str
    siae_type: str

    def is_open(self, start: date, end: date) -> bool:
        return self.opened <= end and (self.closed is None or self.closed >= start)

    def open_days(self, start: date, end: date) -> int:
        last = min(end, self.closed) if self.closed else end
        return (last - max(start, self.opened)).days + 1


@dataclass(frozen=True)
class Pathway:
    site: str
    person: str
    entree: date
    sortie: date | None = None
    motif: str | None = None
    situation: str | None = None
    amenagement: str | None = None
    sexe: str | None = "H"
    naissance: int | None = 1990
    statut: str | None = "condamne"
    quantum: int | None = 12
    diplome: str | None = "aucun"
    orientation: date | None = None
    accompagnement: bool | None = False
    # What files before the latest one said of the diploma (corrected later): the latest state wins.
    diplome_avant: str | None = None
    # The pathway's final CléA, trainings and PMSMP; earlier files give fewer (the totals so far).
    clea: bool | None = False
    formations: int | None = 0
    pmsmp: int | None = 0
    mesure_suivi: bool | None = False

    def is_open_during(self, start: date, end: date) -> bool:
        return self.entree <= end and (self.sortie is None or self.sortie >= start)


@dataclass(frozen=True)
class Staff:
    site: str
    person: str
    arrivee: date
    depart: date | None = None
    fonction: str = "cip"
    etp: float = 1.0


@dataclass(frozen=True)
class Observation:
    """A follow-up row: the release date as the site declares it, the day and what was seen."""

    site: str
    person: str
    sortie: date
    day: date
    situation: str
    reincarceration: date | None = None


@dataclass
class Fixture:
    sites: list[Site]
    pathways: list[Pathway]
    staff: list[Staff]
    ecrous: list[tuple[str, date]]
    observations: list[Observation] = field(default_factory=list)
    national_semesters: list[Semester] = field(default_factory=list)
    # A pathway only in a replaced delivery: present in raw_parcours, never in force.
    stale: Pathway | None = None

    def site(self, code: str) -> Site:
        return next(s for s in self.sites if s.code == code)

    def semesters(self, site: Site) -> list[Semester]:
        """The semesters a site delivers: those of the fixture's range it is open in."""
        return [s for s in semesters_between(FIRST, LAST) if site.is_open(s.start, s.end)]


def hours(pathway: Pathway, semester: Semester) -> float:
    """Hours the site declares for a pathway in a semester: 3.5 h per day present."""
    first = max(pathway.entree, semester.start)
    last = min(pathway.sortie or semester.end, semester.end)
    return 3.5 * ((last - first).days + 1)


def add_months(day: date, months: int) -> date:
    """Calendar months later, the day clamped to the month's length (31 Aug + 6 → 28 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


SITES = [
    Site("77-alpha", "77", "11", "paris", date(2020, 1, 1), None, 10, "CP Alpha", "CP", "ACI"),
    Site("77-beta", "77", "11", "paris", date(2025, 3, 1), None, 12, "CP Alpha", "CP", "EI"),
    Site("13-gamma", "13", "93", "marseille", date(2019, 1, 1), None, 8, "MA Gamma", "MA", "ACI"),
    Site(
        "13-delta",
        "13",
        "93",
        "marseille",
        date(2018, 1, 1),
        date(2025, 9, 30),
        12,
        "CD Delta",
        "CD",
        "EI",
    ),
]
FONCTIONS = ["cip", "encadrant_technique", "direction", "autre"]

RELEASE_MOTIFS = {"liberation_fin_de_peine", "liberation_amenagement", "liberation_autre"}
# Exit kinds cycled through so that every reason and every situation at release occurs.
EXITS: list[tuple[str | None, str | None, str | None]] = [
    ("liberation_fin_de_peine", "emploi_durable", None),
    ("retour_detention_ordinaire", None, None),
    ("liberation_amenagement", "emploi_transition", "LC"),
    ("transfert", None, None),
    ("liberation_autre", "formation_qualifiante", None),
    (None, None, None),
    ("liberation_fin_de_peine", "poursuite_iae_exterieur", None),
    ("abandon", None, None),
    ("liberation_amenagement", "sortie_positive_autre", "PSE"),
    ("retour_detention_ordinaire", None, None),
    ("liberation_fin_de_peine", "recherche_emploi", None),
    ("raison_medicale", None, None),
    ("liberation_autre", "sans_solution", None),
    ("deces", None, None),
    ("liberation_fin_de_peine", "inconnue", None),
    ("autre", None, None),
    ("liberation_amenagement", "emploi_durable", "SL"),
    (None, None, None),
]

# Next écrou after a release, as (months, days) later, cycled over releases (None: no écrou):
# inside the windows, on the last day of a window, the day after it, before and on the release day.
REINCARCERATIONS: list[tuple[int, int] | None] = [
    None, (0, 30), (6, 0), (6, 1), None, (0, 200), (12, 0), (12, 1), (0, -40), (0, 0), None, (0, 500),
]  # fmt: skip


# Follow-up observations of each release under a follow-up measure, cycled over those releases:
# ((months, days) after the release, situation, re-incarceration (months, days) after it or None).
# Around the 3- and 6-month horizons: on the bounds of their windows (2–4 and 5–7 months), a day
# outside, two observations at similar distances, a re-incarceration before the window, nothing.
FOLLOW_UPS: list[list[tuple[tuple[int, int], str, tuple[int, int] | None]]] = [
    [((3, 0), "emploi_durable", None), ((6, 0), "emploi_transition", None)],
    [((2, -1), "recherche_emploi", None), ((4, 1), "emploi_durable", None)],
    [((2, 0), "sans_solution", None), ((4, 0), "formation_qualifiante", None)],
    [((1, 0), "reincarcere", (0, 20))],
    [((5, 0), "emploi_transition", None), ((7, 0), "recherche_emploi", None),
     ((7, 1), "emploi_durable", None)],
    [],
    [((3, 10), "inconnue", None), ((5, 0), "formation_qualifiante", None)],
]  # fmt: skip


def _random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _pathway(
    rng: random.Random, extra: random.Random, site: Site, number: int, kind: int
) -> Pathway:
    motif, situation, amenagement = EXITS[kind % len(EXITS)]
    if motif is None and site.closed:
        motif = "transfert"  # a closed site's pathways have all ended
    last_day = min(DATA_END, site.closed) if site.closed else DATA_END
    first_day = max(site.opened, FIRST.start)
    if motif is None:
        entree = _random_day(rng, max(site.opened, date(2024, 1, 10)), last_day)
        sortie = None
    else:
        sortie = _random_day(rng, first_day, last_day)
        entree = max(site.opened, sortie - timedelta(days=rng.randint(0, 420)))
    return Pathway(
        site=site.code,
        person=f"{site.code}-P{number:02d}",
        entree=entree,
        sortie=sortie,
        motif=motif,
        situation=situation,
        amenagement=amenagement,
        sexe=rng.choice(["H", "H", "F", None]),
        naissance=rng.choice([None, 1965, 1980, 1992, 1999, 2001, 2004]),
        statut=rng.choice(["condamne", "condamne", "prevenu", None]),
        quantum=rng.choice([None, 2, 4, 12, 36, 37, 60]),
        diplome=rng.choice(["aucun", "cap_bep", "bac", "superieur", "inconnu", None]),
        orientation=rng.choice([None, entree - timedelta(days=rng.randint(0, 90))]),
        accompagnement=rng.choice([True, False, None]) if motif else None,
        diplome_avant=rng.choice([None, "inconnu"]),
        clea=extra.choice([True, False, False, None]),
        formations=extra.choice([None, 0, 1, 2, 3]),
        pmsmp=extra.choice([None, 0, 0, 1, 2]),
        mesure_suivi=extra.choice([True, True, False, None]),
    )


def _special_pathways() -> list[Pathway]:
    """Cases the cycle does not make: released twice in a semester, twice in a year (once in each
    semester), released by two sites, entries and exits on the first or last day of a semester."""
    release, other = "liberation_fin_de_peine", "liberation_autre"
    return [
        Pathway(
            "77-alpha", "TWICE", date(2024, 10, 1), date(2025, 1, 15), release, "sans_solution"
        ),
        Pathway("77-alpha", "TWICE", date(2025, 2, 20), date(2025, 5, 30), other, "emploi_durable"),
        Pathway(
            "77-alpha", "BOTH", date(2024, 9, 1), date(2025, 2, 10), other, "emploi_transition"
        ),
        Pathway("77-beta", "BOTH", date(2025, 3, 15), date(2025, 6, 20), release, "inconnue"),
        Pathway(
            "77-beta",
            "EACH-HALF",
            date(2025, 3, 4),
            date(2025, 5, 10),
            release,
            "formation_qualifiante",
        ),
        Pathway(
            "77-beta", "EACH-HALF", date(2025, 8, 1), date(2025, 11, 20), other, "sans_solution"
        ),
        Pathway("77-alpha", "EDGE-1", date(2025, 1, 1), date(2025, 6, 30), "transfert"),
        Pathway(
            "13-gamma", "EDGE-2", date(2024, 12, 31), date(2025, 7, 1), release, "recherche_emploi"
        ),
    ]


def _staff(rng: random.Random, site: Site) -> list[Staff]:
    last_day = min(DATA_END, site.closed) if site.closed else DATA_END
    out = []
    for number in range(5):
        arrivee = _random_day(rng, site.opened, last_day - timedelta(days=30))
        depart = rng.choice([None, None, _random_day(rng, max(arrivee, FIRST.start), last_day)])
        if site.closed and depart is None:
            depart = site.closed
        out.append(
            Staff(
                site.code,
                f"{site.code}-S{number}",
                arrivee,
                depart,
                rng.choice(FONCTIONS),
                rng.choice([1.0, 0.8, 0.5]),
            )
        )
    # Arrived on a semester's first day and left on its last; left on a semester's first day.
    out.append(
        Staff(
            site.code,
            f"{site.code}-E",
            date(2025, 7, 1),
            min(date(2025, 12, 31), site.closed or DATA_END),
            "direction",
            0.2,
        )
    )
    out.append(
        Staff(site.code, f"{site.code}-F", max(site.opened, FIRST.start), date(2025, 7, 1), "autre")
    )
    if site.opened < FIRST.start:
        # Someone who left and came back: two stays, two keys.
        out.append(Staff(site.code, f"{site.code}-R", site.opened, date(2024, 11, 30)))
        out.append(Staff(site.code, f"{site.code}-R", date(2025, 4, 1), site.closed))
    return out


def _ecrous(pathways: list[Pathway]) -> list[tuple[str, date]]:
    releases = [p for p in pathways if p.motif in RELEASE_MOTIFS]
    out = [
        (p.person, add_months(p.sortie, delay[0]) + timedelta(days=delay[1]))
        for number, p in enumerate(releases)
        if (delay := REINCARCERATIONS[number % len(REINCARCERATIONS)]) is not None
    ]
    out.append(("TWICE", date(2025, 2, 1)))  # between its two releases
    out.append(("NEVER-IN-A-WORKSHOP", date(2025, 3, 3)))
    return [(person, day) for person, day in out if day <= DATA_END]


def _after(day: date, delay: tuple[int, int]) -> date:
    return add_months(day, delay[0]) + timedelta(days=delay[1])


def _observations(pathways: list[Pathway]) -> list[Observation]:
    """FOLLOW_UPS cycled over the releases under a follow-up measure, as far as the site could
    still deliver them; then a row with a wrong release date and one for a release without a
    measure, which follow no release the indicators know."""
    followed = [p for p in pathways if p.motif in RELEASE_MOTIFS and p.mesure_suivi]
    out = [
        Observation(
            p.site, p.person, p.sortie, _after(p.sortie, delay), situation,
            _after(p.sortie, again) if again else None,
        )
        for number, p in enumerate(followed)
        for delay, situation, again in FOLLOW_UPS[number % len(FOLLOW_UPS)]
    ]  # fmt: skip
    unmeasured = next(p for p in pathways if p.motif in RELEASE_MOTIFS and not p.mesure_suivi)
    out.append(
        Observation(
            followed[0].site, followed[0].person, followed[0].sortie + timedelta(days=1),
            followed[0].sortie + timedelta(days=90), "emploi_durable",
        )
    )  # fmt: skip
    out.append(
        Observation(
            unmeasured.site, unmeasured.person, unmeasured.sortie,
            unmeasured.sortie + timedelta(days=90), "emploi_durable",
        )
    )  # fmt: skip
    last_day = {s.code: min(DATA_END, s.closed or DATA_END) for s in SITES}
    return [o for o in out if o.day <= last_day[o.site]]


def build_fixture(seed: int = 7, per_site: int = 14) -> Fixture:
    rng, extra = random.Random(seed), random.Random(seed + 1)
    pathways = [
        _pathway(rng, extra, site, number, kind=number + offset * 5)
        for offset, site in enumerate(SITES)
        for number in range(per_site)
    ]
    pathways += _special_pathways()
    staff = [member for site in SITES for member in _staff(rng, site)]
    return Fixture(
        sites=list(SITES),
        pathways=pathways,
        staff=staff,
        ecrous=_ecrous(pathways),
        observations=_observations(pathways),
        national_semesters=semesters_between(FIRST, LAST),
        stale=Pathway("77-alpha", "STALE", date(2025, 2, 1)),
    )


# --- writing the fixture as ingestion would have landed it -----------------------------------

_NOW = datetime(2026, 9, 1, 12)


def _sha(site: str, export_type: str, semester: Semester) -> str:
    return f"{site}|{export_type}|{semester.code}"


def _lineage(site: str, export_type: str, semester: Semester, line: int) -> dict:
    return {
        "code_site": site,
        "periode": semester.code,
        "fichier_source": f"{site}_{export_type}_{semester.code}.csv",
        "ligne_source": line,
        "sha256_fichier": _sha(site, export_type, semester),
        "date_ingestion": _NOW,
    }


def _parcours_row(p: Pathway, semester: Semester, line: int, latest: bool) -> dict:
    exits_now = p.sortie is not None and semester.start <= p.sortie <= semester.end
    return {
        **_lineage(p.site, "parcours", semester, line),
        "identifiant": p.person,
        "sexe": p.sexe,
        "annee_naissance": p.naissance,
        "statut_penal": p.statut,
        "quantum_peine_mois": p.quantum,
        "niveau_diplome": p.diplome if latest or p.diplome_avant is None else p.diplome_avant,
        "date_orientation_cpu": p.orientation,
        "date_entree": p.entree,
        "date_sortie": p.sortie if exits_now else None,
        "motif_sortie": p.motif if exits_now else None,
        "type_amenagement": p.amenagement if exits_now else None,
        "situation_sortie": p.situation if exits_now else None,
        "heures_travaillees": hours(p, semester),
        "clea_obtenu": p.clea if latest or p.clea is None else False,
        "nb_formations": _so_far(p.formations, latest),
        "nb_pmsmp": _so_far(p.pmsmp, latest),
        "accompagnement_post_sortie": p.accompagnement if exits_now else None,
        "mesure_suivi": p.mesure_suivi,
    }


def _so_far(total: int | None, latest: bool) -> int | None:
    """A pathway's count as an earlier file gives it: one fewer than its final total."""
    return total if latest or total is None else max(0, total - 1)


def _register_row(site: str, export_type: str, semester: Semester, *, active: bool = True) -> dict:
    return {
        "sha256": _sha(site, export_type, semester) if active else f"perime|{site}|{semester.code}",
        "fichier": f"{site}_{export_type}_{semester.code}.csv",
        "code_site": site,
        "type_export": export_type,
        "periode": semester.code,
        "date_reception": _NOW,
        "date_ingestion": _NOW,
        "statut": "acceptee" if active else "remplacee",
        "active": active,
    }


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    frame = pl.DataFrame(rows, infer_schema_length=None)
    con.register("_lignes", frame)
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _lignes")
    con.unregister("_lignes")


def _parcours_rows(fx: Fixture) -> list[dict]:
    """Each pathway in every semester file it is open in; the last of these holds its latest state."""
    lines: dict[tuple[str, Semester], int] = {}
    rows = []
    for p in fx.pathways:
        listed = [s for s in fx.semesters(fx.site(p.site)) if p.is_open_during(s.start, s.end)]
        for semester in listed:
            line = lines[p.site, semester] = lines.get((p.site, semester), 1) + 1
            rows.append(_parcours_row(p, semester, line, latest=semester == listed[-1]))
    return rows


def _personnel_rows(fx: Fixture) -> list[dict]:
    rows = []
    for site in fx.sites:
        for semester in fx.semesters(site):
            listed = [
                s
                for s in fx.staff
                if s.site == site.code
                and s.arrivee <= semester.end
                and (s.depart is None or s.depart >= semester.start)
            ]
            for line, s in enumerate(listed, start=2):
                rows.append(
                    {
                        **_lineage(site.code, "personnel", semester, line),
                        "identifiant_salarie": s.person,
                        "fonction": s.fonction,
                        "date_arrivee": s.arrivee,
                        "date_depart": s.depart if s.depart and s.depart <= semester.end else None,
                        "etp": s.etp,
                    }
                )
    return rows


def _reincarceration_rows(fx: Fixture) -> list[dict]:
    rows = []
    for semester in fx.national_semesters:
        listed = [
            (person, day) for person, day in fx.ecrous if semester.start <= day <= semester.end
        ]
        for line, (person, day) in enumerate(listed, start=2):
            rows.append(
                {
                    **_lineage(NATIONAL, "reincarcerations", semester, line),
                    "identifiant": person,
                    "date_ecrou": day,
                }
            )
    return rows


def _suivi_rows(fx: Fixture) -> list[dict]:
    """Each observation in the file of the semester it was made in."""
    rows = []
    for site in fx.sites:
        for semester in fx.semesters(site):
            listed = [
                o
                for o in fx.observations
                if o.site == site.code and semester.start <= o.day <= semester.end
            ]
            for line, o in enumerate(listed, start=2):
                rows.append(
                    {
                        **_lineage(site.code, "suivi", semester, line),
                        "identifiant": o.person,
                        "date_sortie": o.sortie,
                        "date_observation": o.day,
                        "situation": o.situation,
                        "date_reincarceration": o.reincarceration,
                    }
                )
    return rows


def _register(fx: Fixture) -> list[dict]:
    rows = [
        _register_row(site.code, export_type, semester)
        for site in fx.sites
        for semester in fx.semesters(site)
        for export_type in ("parcours", "personnel", "suivi")
    ]
    rows += [_register_row(NATIONAL, "reincarcerations", s) for s in fx.national_semesters]
    if fx.stale:
        rows.append(
            _register_row(
                fx.stale.site, "parcours", Semester.containing(fx.stale.entree), active=False
            )
        )
    return rows


def _stale_rows(fx: Fixture) -> list[dict]:
    if fx.stale is None:
        return []
    semester = Semester.containing(fx.stale.entree)
    row = _parcours_row(fx.stale, semester, 2, latest=True)
    return [{**row, "sha256_fichier": f"perime|{fx.stale.site}|{semester.code}"}]


def _sites_referential(fx: Fixture) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "code_site": s.code,
                "etablissement": s.etablissement,
                "type_etablissement": s.type_etablissement,
                "departement": s.departement,
                "siae_nom": f"SIAE {s.code}",
                "siae_type": s.siae_type,
                "activite": "Tri",
                "date_ouverture": s.opened,
                "date_fermeture": s.closed,
                "etp_conventionnes": float(s.etp),
            }
            for s in fx.sites
        ],
        schema_overrides={"date_fermeture": pl.Date},
    )


def load_fixture(con: duckdb.DuckDBPyConnection, fx: Fixture) -> None:
    """Replace the sites referential by the fixture's and land its deliveries."""
    con.register("_sites", _sites_referential(fx))
    con.execute("CREATE OR REPLACE TABLE ref_sites AS SELECT * FROM _sites")
    con.unregister("_sites")
    _insert(con, "raw_parcours", _parcours_rows(fx) + _stale_rows(fx))
    _insert(con, "raw_personnel", _personnel_rows(fx))
    _insert(con, "raw_suivi", _suivi_rows(fx))
    _insert(con, "raw_reincarcerations", _reincarceration_rows(fx))
    _insert(con, "livraisons", _register(fx))


def without_national_extract(fx: Fixture) -> Fixture:
    return replace(fx, national_semesters=[])
