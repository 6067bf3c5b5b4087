"""Each export's clean content: a semester's view of the simulated histories.

Rows are dicts keyed by contract column names; keys starting with `_` carry what the defect
injector and the writers need (the pathway, the name key) and are never written.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.population import FULL_TIME_HOURS_PER_DAY, Pathway, SiteHistory
from generator.referential import Site
from pipelines.contracts import NATIONAL_EXPORT
from pipelines.periods import Semester

Row = dict[str, Any]


@dataclass
class Table:
    """One file's worth of rows, before styling."""

    kind: str
    period: Semester
    site: Site | None
    rows: list[Row] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.site.code if self.site else "national", self.kind, self.period.code)


def hours_worked(pathway: Pathway, semester: Semester, attendance: float) -> float:
    """Hours in this semester only: full time is 1,350 h a year, never above 7 h a day present."""
    days = days_present(pathway.entree, pathway.sortie, semester)
    return math.floor(days * FULL_TIME_HOURS_PER_DAY * pathway.work_rate * attendance * 2) / 2


def days_present(entree: date, sortie: date | None, semester: Semester) -> int:
    last = semester.end if sortie is None or sortie > semester.end else sortie
    return (last - max(entree, semester.start)).days + 1


def parcours_rows(history: SiteHistory, semester: Semester, rng: random.Random) -> list[Row]:
    rows = []
    for pathway in history.pathways:
        if pathway.entree > semester.end:
            break
        if pathway.sortie is not None and pathway.sortie < semester.start:
            continue
        rows.append(_parcours_row(pathway, semester, rng))
    return rows


def _parcours_row(p: Pathway, semester: Semester, rng: random.Random) -> Row:
    exited = p.sortie is not None and p.sortie <= semester.end
    return {
        "identifiant": p.person.identifiant,
        "sexe": p.person.sexe,
        "annee_naissance": p.person.annee_naissance,
        "statut_penal": p.statut,
        "quantum_peine_mois": p.quantum,
        "niveau_diplome": p.person.niveau_diplome,
        "date_orientation_cpu": p.orientation,
        "date_entree": p.entree,
        "date_sortie": p.sortie if exited else None,
        "motif_sortie": p.motif if exited else None,
        "type_amenagement": p.amenagement if exited else None,
        "situation_sortie": p.situation if exited else None,
        "heures_travaillees": hours_worked(p, semester, rng.uniform(0.82, 1.0)),
        "clea_obtenu": p.clea is not None and p.clea <= semester.end,
        "nb_formations": sum(1 for d in p.formations if d <= semester.end),
        "nb_pmsmp": sum(1 for d in p.pmsmp if d <= semester.end),
        "accompagnement_post_sortie": p.accompagnement,
        "mesure_suivi": p.mesure_suivi,
        "_pathway": p,
        "_key": p.person.identifiant,
        "_sexe": p.person.sexe,
    }


def personnel_rows(history: SiteHistory, semester: Semester) -> list[Row]:
    rows = []
    for member in history.staff:
        if member.arrivee > semester.end or (member.depart and member.depart < semester.start):
            continue
        rows.append(
            {
                "identifiant_salarie": member.identifiant,
                "fonction": member.fonction,
                "date_arrivee": member.arrivee,
                "date_depart": member.depart
                if member.depart and member.depart <= semester.end
                else None,
                "etp": member.etp,
                "_staff": member,
                "_key": member.identifiant,
                "_sexe": member.sexe,
            }
        )
    return rows


def suivi_rows(history: SiteHistory, semester: Semester) -> list[Row]:
    rows = []
    for pathway in history.pathways:
        for obs in pathway.observations:
            if semester.start <= obs.day <= semester.end:
                rows.append(
                    {
                        "identifiant": pathway.person.identifiant,
                        "date_sortie": pathway.sortie,
                        "date_observation": obs.day,
                        "situation": obs.situation,
                        "date_reincarceration": obs.reincarceration,
                        "_pathway": pathway,
                        "_key": pathway.person.identifiant,
                        "_sexe": pathway.person.sexe,
                    }
                )
    return sorted(rows, key=lambda r: (r["date_observation"], r["identifiant"]))


def site_tables(history: SiteHistory, periods: list[Semester], rng: random.Random) -> list[Table]:
    """The three exports the site owes for each semester it was open."""
    tables = []
    for semester in periods:
        tables.append(
            Table("parcours", semester, history.site, parcours_rows(history, semester, rng))
        )
        tables.append(Table("personnel", semester, history.site, personnel_rows(history, semester)))
        tables.append(Table("suivi", semester, history.site, suivi_rows(history, semester)))
    return tables


def national_tables(
    histories: list[SiteHistory],
    periods: list[Semester],
    unrelated: dict[str, list[tuple[str, date]]],
) -> list[Table]:
    """New incarcerations in France per semester: participants' (before and after) plus everyone else."""
    by_period: dict[str, list[tuple[str, date]]] = {
        p.code: list(unrelated.get(p.code, [])) for p in periods
    }
    for history in histories:
        for pathway in history.pathways:
            for day in (pathway.ecrou, pathway.reincarceration):
                if day is not None and (code := Semester.containing(day).code) in by_period:
                    by_period[code].append((pathway.person.identifiant, day))
    tables = []
    for period in periods:
        rows = [
            {"identifiant": i, "date_ecrou": d}
            for i, d in sorted(set(by_period[period.code]), key=lambda x: (x[1], x[0]))
        ]
        tables.append(Table(NATIONAL_EXPORT, period, None, rows))
    return tables
