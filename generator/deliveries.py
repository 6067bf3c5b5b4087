"""When each file reaches the inbox: mostly before the due date, some late, a few never.

Arrival times are set as file modification times (the pipeline reads them as reception dates),
in UTC during office hours so that the calendar day is the same in Paris.
"""

from __future__ import annotations

import calendar
import os
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from generator.randomness import stream
from pipelines.contracts import SITE_EXPORTS
from pipelines.periods import Semester

P_DELIVERY_MISSING = 0.02  # a whole semester not sent
P_FILE_MISSING = 0.012  # one of the three files forgotten


@dataclass(frozen=True)
class Arrival:
    """A file's arrival (None: never arrived) against its due date."""

    when: datetime | None
    due: date

    @property
    def late(self) -> bool:
        return self.when is not None and self.when.date() > self.due


def office_time(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(8)) + timedelta(minutes=rng.randint(0, 600))


def site_arrivals(seed: int, code: str, periods: list[Semester]) -> dict[tuple[str, str], Arrival]:
    """(export, period) → arrival, for one site; punctuality is a habit of the site."""
    habit = stream(seed, "punctuality", code)
    p_late = habit.choice((0.02, 0.05, 0.08, 0.15, 0.3))
    out: dict[tuple[str, str], Arrival] = {}
    for period in periods:
        rng = stream(seed, "delivery", code, period.code)
        due = period.due_date()
        missing_all = rng.random() < P_DELIVERY_MISSING
        if rng.random() < p_late:
            day = due + timedelta(days=rng.randint(1, 50))
        else:
            day = max(period.end + timedelta(days=5), due - timedelta(days=rng.randint(0, 40)))
        for export in SITE_EXPORTS:
            if missing_all or rng.random() < P_FILE_MISSING:
                out[(export, period.code)] = Arrival(None, due)
                continue
            shifted = day + timedelta(days=rng.randint(1, 12)) if rng.random() < 0.1 else day
            out[(export, period.code)] = Arrival(office_time(shifted, rng), due)
    return out


def national_arrival(seed: int, period: Semester) -> datetime:
    rng = stream(seed, "national-arrival", period.code)
    return office_time(period.end + timedelta(days=rng.randint(20, 35)), rng)


def set_arrival(path: Path, when: datetime) -> None:
    """Stamp the file with its arrival time (UTC), as the inbox would have it."""
    stamp = calendar.timegm(when.timetuple())
    os.utime(path, (stamp, stamp))
