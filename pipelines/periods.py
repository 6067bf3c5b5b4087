"""Semesters (`AAAA-S1` = 1 Jan–30 Jun, `AAAA-S2` = 1 Jul–31 Dec) and years, the reporting periods."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_SEMESTER = re.compile(r"^(\d{4})-S([12])$")


@dataclass(frozen=True, order=True)
class Semester:
    year: int
    half: int

    @classmethod
    def parse(cls, text: str) -> Semester:
        match = _SEMESTER.match(text.strip().upper())
        if not match:
            raise ValueError(f"période invalide « {text} » : attendu AAAA-S1 ou AAAA-S2")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Semester:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def code(self) -> str:
        return f"{self.year}-S{self.half}"

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    def next(self) -> Semester:
        return Semester(self.year, 2) if self.half == 1 else Semester(self.year + 1, 1)

    def previous(self) -> Semester:
        return Semester(self.year, 1) if self.half == 2 else Semester(self.year - 1, 2)

    def due_date(self, months_after: int = 2, day: int = 15) -> date:
        """Deliveries are due on `day` of the `months_after`-th month after the semester ends."""
        month_index = self.end.month + months_after
        year = self.year + (month_index - 1) // 12
        month = (month_index - 1) % 12 + 1
        return date(year, month, day)

    def __str__(self) -> str:
        return self.code


def semesters_between(first: Semester, last: Semester) -> list[Semester]:
    out, current = [], first
    while current <= last:
        out.append(current)
        current = current.next()
    return out


def last_closed_semester(today: date) -> Semester:
    return Semester.containing(today).previous()
