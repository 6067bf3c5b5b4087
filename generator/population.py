"""Simulate what happens in each workshop: people recruited, working, leaving; staff coming, going.

Each site is simulated alone, from its own random stream, as slots (workshop posts) that are
refilled at recruitment sessions. Events are drawn once per pathway, then each semester's export
is just a view of these histories: this keeps every file consistent with every other one
(a pathway's rows across semesters, its follow-up rows, the national re-incarceration extract).
"""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta

from generator.identities import IdentifierBook, staff_prefix
from generator.profiles import OTHER_EXITS, SiteProfile
from generator.randomness import days_after, weighted
from generator.referential import Site

FULL_TIME_HOURS_PER_DAY = 1350 / 365  # 1,350 h a year, spread over calendar days
RELEASES = ("liberation_fin_de_peine", "liberation_amenagement", "liberation_autre")
JOB_OR_TRAINING = {"emploi_durable": 0.35, "emploi_transition": 0.40, "formation_qualifiante": 0.25}
OTHER_SITUATIONS = {
    "poursuite_iae_exterieur": 0.12,
    "sortie_positive_autre": 0.10,
    "recherche_emploi": 0.48,
    "sans_solution": 0.30,
}
AMENAGEMENTS = {"LC": 0.2, "SL": 0.2, "PSE": 0.3, "PE": 0.1, "LSC": 0.15, "autre": 0.05}
DIPLOMAS = {"aucun": 0.45, "cap_bep": 0.30, "bac": 0.12, "superieur": 0.03, "inconnu": 0.10}
# Median length (days) and spread of a pathway, by how it ends.
DURATIONS = {
    "release": (215, 0.4),
    "retour_detention_ordinaire": (80, 0.6),
    "transfert": (130, 0.6),
    "abandon": (60, 0.6),
    "raison_medicale": (110, 0.6),
    "deces": (150, 0.6),
    "autre": (120, 0.6),
}
FOLLOW_UP_START = {
    "poursuite_iae_exterieur": "emploi_transition",
    "sortie_positive_autre": "recherche_emploi",
}
FOLLOW_UP_MOVES = {
    "emploi_durable": {"emploi_durable": 0.9, "emploi_transition": 0.05, "recherche_emploi": 0.05},
    "emploi_transition": {"emploi_transition": 0.6, "emploi_durable": 0.2, "recherche_emploi": 0.2},
    "formation_qualifiante": {
        "formation_qualifiante": 0.6,
        "emploi_transition": 0.2,
        "emploi_durable": 0.1,
        "recherche_emploi": 0.1,
    },
    "recherche_emploi": {
        "recherche_emploi": 0.55,
        "emploi_transition": 0.2,
        "formation_qualifiante": 0.1,
        "sans_solution": 0.1,
        "emploi_durable": 0.05,
    },
    "sans_solution": {"sans_solution": 0.6, "recherche_emploi": 0.3, "emploi_transition": 0.1},
    "inconnue": {"inconnue": 0.6, "recherche_emploi": 0.3, "sans_solution": 0.1},
}


@dataclass
class Person:
    identifiant: str
    sexe: str
    annee_naissance: int
    niveau_diplome: str


@dataclass(frozen=True)
class Observation:
    day: date
    situation: str
    reincarceration: date | None = None


@dataclass
class Pathway:
    person: Person
    entree: date
    orientation: date | None
    sortie: date | None  # None: still open at the end of the last period
    motif: str | None
    amenagement: str | None
    situation: str | None
    statut: str
    quantum: int
    mesure_suivi: bool
    accompagnement: bool
    work_rate: float
    clea: date | None
    formations: tuple[date, ...]
    pmsmp: tuple[date, ...]
    ecrou: date | None  # the incarceration that led here (None: it was a previous re-incarceration)
    reincarceration: date | None = None
    observations: tuple[Observation, ...] = ()

    @property
    def is_release(self) -> bool:
        return self.motif in RELEASES


@dataclass
class StaffMember:
    identifiant: str
    fonction: str
    arrivee: date
    depart: date | None
    etp: float
    sexe: str


@dataclass
class SiteHistory:
    site: Site
    profile: SiteProfile
    pathways: list[Pathway] = field(default_factory=list)
    staff: list[StaffMember] = field(default_factory=list)


@dataclass(frozen=True)
class _Returnee:
    available: date
    expires: date
    person: Person


def simulate_site(
    site: Site, profile: SiteProfile, rng: random.Random, horizon: date, book: IdentifierBook
) -> SiteHistory:
    """Every pathway and staff member of a site, from its opening to `horizon`."""
    history = SiteHistory(site, profile)
    history.pathways = _pathways(site, profile, rng, horizon, book)
    history.staff = _staff(site, profile, rng, horizon, book)
    return history


# --- operators ---------------------------------------------------------------------------------


def _sessions(site: Site, profile: SiteProfile, rng: random.Random, end: date) -> list[date]:
    """Recruitment sessions (CPU then contract signature), the only days people enter."""
    days, step = [site.opening], profile.session_interval
    while days[-1] <= end:
        days.append(days[0] + timedelta(days=step * len(days) + rng.randint(-5, 5)))
    return days


def _pathways(
    site: Site, profile: SiteProfile, rng: random.Random, horizon: date, book: IdentifierBook
) -> list[Pathway]:
    last_entry = (
        horizon if site.closing is None else min(horizon, site.closing - timedelta(days=45))
    )
    sessions = _sessions(site, profile, rng, last_entry)
    slots = [(_first_free_day(site, profile, slot, rng), slot) for slot in range(profile.slots)]
    heapq.heapify(slots)
    pool: list[_Returnee] = []
    out: list[Pathway] = []
    while slots:
        free, slot = heapq.heappop(slots)
        index = bisect_left(sessions, free)
        if index >= len(sessions) or sessions[index] > last_entry:
            continue
        entry = sessions[index]
        person, returning = _recruit(pool, entry, rng, book, profile)
        pathway = _pathway(person, entry, returning, site, profile, rng, horizon)
        out.append(pathway)
        if pathway.sortie is None:
            continue
        if pathway.reincarceration and rng.random() < 0.2:
            pool.append(
                _Returnee(
                    days_after(pathway.reincarceration, rng, 45, 240),
                    pathway.reincarceration + timedelta(days=730),
                    person,
                )
            )
        heapq.heappush(slots, (days_after(pathway.sortie, rng, 1, 10), slot))
    return sorted(out, key=lambda p: (p.entree, p.person.identifiant))


def _first_free_day(site: Site, profile: SiteProfile, slot: int, rng: random.Random) -> date:
    """A first cohort signs on opening day (recruited beforehand); the rest fill up gradually."""
    if slot < max(1, profile.slots // 3):
        return site.opening
    return days_after(site.opening, rng, 0, profile.ramp_days)


def _recruit(
    pool: list[_Returnee],
    entry: date,
    rng: random.Random,
    book: IdentifierBook,
    profile: SiteProfile,
) -> tuple[Person, bool]:
    """A newcomer, or sometimes a former participant re-incarcerated since his release."""
    pool[:] = [r for r in pool if r.expires >= entry]
    ready = [r for r in pool if r.available <= entry]
    if ready and rng.random() < 0.7:
        pool.remove(ready[0])
        return ready[0].person, True
    sexe = "F" if rng.random() < profile.p_female else "H"
    age = rng.randint(18, 25) if rng.random() < 0.22 else round(rng.triangular(26, 62, 31))
    person = Person(book.person(rng), sexe, max(1945, entry.year - age), weighted(rng, DIPLOMAS))
    return person, False


def _lognormal_days(rng: random.Random, median: float, sigma: float, low: int, high: int) -> int:
    return int(min(high, max(low, rng.lognormvariate(math.log(median), sigma))))


def _motif(profile: SiteProfile, rng: random.Random) -> str:
    p_release = 1 - profile.p_retour - sum(OTHER_EXITS.values())
    table = {"release": p_release, "retour_detention_ordinaire": profile.p_retour, **OTHER_EXITS}
    choice = weighted(rng, table)
    if choice != "release":
        return choice
    if rng.random() < profile.p_amenagement:
        return "liberation_amenagement"
    return "liberation_fin_de_peine" if rng.random() < 0.85 else "liberation_autre"


def _situation(profile: SiteProfile, amenagement: bool, rng: random.Random) -> str:
    """Situation at release; an adjustment often rests on a job or training project."""
    if rng.random() < profile.p_inconnue:
        return "inconnue"
    p_job = profile.p_job / (1 - profile.p_inconnue) * (1.25 if amenagement else 0.75)
    return weighted(rng, JOB_OR_TRAINING if rng.random() < p_job else OTHER_SITUATIONS)


def _quantum(rng: random.Random) -> int:
    if rng.random() < 0.05:
        return rng.choice([1, 2, 3, 3, 40, 48, 60, 72])
    return round(rng.triangular(4, 36, 10))


def _pathway(
    person: Person,
    entry: date,
    returning: bool,
    site: Site,
    profile: SiteProfile,
    rng: random.Random,
    horizon: date,
) -> Pathway:
    motif = _motif(profile, rng)
    median, sigma = DURATIONS["release" if motif in RELEASES else motif]
    duration = _lognormal_days(rng, median * profile.duration_factor, sigma, 5, 560)
    exit_day: date | None = entry + timedelta(days=duration)
    if site.closing and exit_day > site.closing:
        exit_day, motif = site.closing, ("autre" if rng.random() < 0.6 else "transfert")
    if exit_day > horizon:
        exit_day, motif = None, None
    release = motif in RELEASES
    amenagement = weighted(rng, AMENAGEMENTS) if motif == "liberation_amenagement" else None
    situation = _situation(profile, amenagement is not None, rng) if release else None
    statut = "prevenu" if rng.random() < 0.02 else "condamne"
    quantum = _quantum(rng)
    p_mesure = (0.72 if amenagement else 0.28) if release else 0.3
    days_in = (exit_day or horizon) - entry
    pathway = Pathway(
        person=person,
        entree=entry,
        orientation=None if rng.random() < 0.04 else entry - timedelta(days=rng.randint(14, 56)),
        sortie=exit_day,
        motif=motif,
        amenagement=amenagement,
        situation=situation,
        statut=statut,
        quantum=quantum,
        mesure_suivi=rng.random() < p_mesure,
        accompagnement=rng.random() < profile.p_accompagnement * (1 if release else 0.5),
        work_rate=rng.choice((0.5, 0.6, 0.7, 0.8)) if rng.random() < profile.p_part_time else 1.0,
        clea=_clea(entry, days_in.days, profile, rng),
        formations=_events(entry, days_in.days, rng, (0.45, 0.35, 0.15, 0.05)),
        pmsmp=_events(entry, days_in.days, rng, (0.7, 0.22, 0.08)) if release else (),
        ecrou=None if returning else _ecrou(entry, statut, quantum, rng),
    )
    if release and exit_day:
        pathway.reincarceration = _reincarceration(pathway, profile, exit_day, rng)
        pathway.observations = _observations(pathway, profile, exit_day, rng)
    return pathway


def _clea(entry: date, days: int, profile: SiteProfile, rng: random.Random) -> date | None:
    if days < 60 or rng.random() >= profile.p_clea:
        return None
    return days_after(entry, rng, 45, days)


def _events(
    entry: date, days: int, rng: random.Random, weights: tuple[float, ...]
) -> tuple[date, ...]:
    count = rng.choices(range(len(weights)), weights=weights)[0]
    return tuple(sorted(days_after(entry, rng, 0, max(0, days)) for _ in range(count)))


def _ecrou(entry: date, statut: str, quantum: int, rng: random.Random) -> date:
    """When the person was incarcerated before being oriented to the workshop."""
    if statut == "prevenu":
        return entry - timedelta(days=rng.randint(20, 200))
    return entry - timedelta(days=rng.randint(30, max(60, min(quantum * 30 - 60, 900))))


def _reincarceration(
    pathway: Pathway, profile: SiteProfile, release: date, rng: random.Random
) -> date | None:
    """A new incarceration after release: 69 % within 5 years without adjustment, 39 % with one.

    Being released into a job or a training lowers it; about 45 % of returns happen in the first year.
    """
    p_five_years = 0.39 if pathway.amenagement else 0.69
    if pathway.situation in JOB_OR_TRAINING:
        p_five_years *= 0.75
    if rng.random() >= min(0.95, p_five_years * profile.reincarceration_factor):
        return None
    months = 12 * rng.random() ** 1.2 if rng.random() < 0.45 else 12 + 48 * rng.random() ** 1.4
    return release + timedelta(days=max(1, round(months * 30.44)))


def _observations(
    pathway: Pathway, profile: SiteProfile, release: date, rng: random.Random
) -> tuple[Observation, ...]:
    """Follow-up after release: only for people under a judicial follow-up measure."""
    if not pathway.mesure_suivi or rng.random() >= profile.suivi_coverage:
        return ()
    state = FOLLOW_UP_START.get(pathway.situation or "", pathway.situation or "inconnue")
    out: list[Observation] = []
    for offset in profile.suivi_schedule:
        day = days_after(release, rng, offset, offset + 14)
        if pathway.reincarceration and pathway.reincarceration <= day:
            out.append(Observation(day, "reincarcere", pathway.reincarceration))
            break
        out.append(Observation(day, state))
        state = weighted(rng, FOLLOW_UP_MOVES[state])
    return tuple(out)


# --- permanent staff -----------------------------------------------------------------------------

STAFF_ETP = {
    "direction": (0.2, 0.3, 0.5),
    "cip": (1.0, 1.0, 0.8, 0.5),
    "encadrant_technique": (1.0, 1.0, 0.8),
    "autre": (0.5, 0.3, 0.8),
}


def _positions(site: Site, rng: random.Random) -> list[str]:
    posts = ["direction"] + ["cip"] * max(1, round(site.etp / 12))
    posts += ["encadrant_technique"] * max(1, round(site.etp / 6))
    return posts + (["autre"] if rng.random() < 0.4 else [])


def _tenure(fonction: str, high_turnover: bool, rng: random.Random) -> int:
    if fonction == "direction":
        return rng.randint(3 * 365, 8 * 365)
    if high_turnover:
        return rng.randint(180, 365)
    return max(150, round(rng.expovariate(1 / 1500)))


def _staff(
    site: Site, profile: SiteProfile, rng: random.Random, horizon: date, book: IdentifierBook
) -> list[StaffMember]:
    prefix, out = staff_prefix(site.siae_nom), []
    for fonction in _positions(site, rng):
        arrival = site.opening - timedelta(days=rng.randint(0, 60))
        while arrival <= horizon and (site.closing is None or arrival < site.closing):
            departure: date | None = arrival + timedelta(
                days=_tenure(fonction, profile.staff_turnover_high, rng)
            )
            if site.closing and departure >= site.closing:
                departure = site.closing
            if departure > horizon:
                departure = None
            sexe = "F" if rng.random() < 0.55 else "H"
            out.append(
                StaffMember(
                    book.staff(rng, prefix),
                    fonction,
                    arrival,
                    departure,
                    rng.choice(STAFF_ETP[fonction]),
                    sexe,
                )
            )
            if departure is None or departure == site.closing:
                break
            arrival = days_after(departure, rng, 1, 60)
    return sorted(out, key=lambda s: (s.arrivee, s.identifiant))
