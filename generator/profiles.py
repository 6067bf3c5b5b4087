"""How each site behaves: its results, recruitment rhythm and staff stability.

Sites differ on purpose (some perform better) so that rankings and comparisons mean something.
Meaux is pinned to its published first results: of 73 entries, 21 went back to ordinary detention
and 24 left prison with a job or a training.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from generator.referential import Site

# Non-release exits other than the return to ordinary detention (shares of all exits).
OTHER_EXITS = {
    "transfert": 0.07,
    "abandon": 0.05,
    "raison_medicale": 0.015,
    "deces": 0.003,
    "autre": 0.02,
}
SUIVI_SCHEDULES = ((30, 90, 180, 365), (90, 180), (60, 180, 365), (30, 180))


@dataclass(frozen=True)
class SiteProfile:
    slots: int  # workshop posts filled in rotation (≥ contracted ETP: part time is common)
    session_interval: int  # days between two recruitment sessions
    ramp_days: int  # time to fill the workshop after opening
    p_retour: float  # share of exits back to ordinary detention
    p_job: float  # share of releases into a job or a training
    p_amenagement: float  # share of releases with a sentence adjustment
    p_inconnue: float  # share of releases whose situation is unknown
    p_accompagnement: float
    p_clea: float
    p_female: float
    p_part_time: float
    duration_factor: float
    reincarceration_factor: float
    suivi_coverage: float
    suivi_schedule: tuple[int, ...]
    staff_turnover_high: bool


def draw_profile(site: Site, rng: random.Random, women_site: bool) -> SiteProfile:
    profile = SiteProfile(
        slots=max(3, round(site.etp * rng.uniform(1.05, 1.4))),
        session_interval=rng.randint(21, 49),
        ramp_days=rng.randint(30, 150),
        p_retour=rng.uniform(0.12, 0.32),
        p_job=rng.uniform(0.22, 0.45),
        p_amenagement=rng.uniform(0.35, 0.65),
        p_inconnue=rng.uniform(0.03, 0.18),
        p_accompagnement=rng.uniform(0.3, 0.85),
        p_clea=rng.uniform(0.03, 0.25),
        p_female=rng.uniform(0.3, 0.5) if women_site else rng.uniform(0.06, 0.11),
        p_part_time=rng.uniform(0.2, 0.7),
        duration_factor=rng.uniform(0.85, 1.2),
        reincarceration_factor=rng.uniform(0.75, 1.25),
        suivi_coverage=rng.uniform(0.6, 1.0),
        suivi_schedule=rng.choice(SUIVI_SCHEDULES),
        staff_turnover_high=rng.random() < 0.3,
    )
    if site.code == "77-meaux":
        return _meaux(profile)
    return profile


def _meaux(profile: SiteProfile) -> SiteProfile:
    """Meaux's seed figures: ~29 % back to ordinary detention, a high job/training share."""
    return replace(
        profile,
        p_retour=0.29,
        p_job=0.42,
        p_amenagement=0.55,
        p_inconnue=0.06,
        session_interval=35,
        duration_factor=0.95,
    )
