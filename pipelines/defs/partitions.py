"""Partitions: one per site (registered by the inbox sensor), one per semester and per year."""

from datetime import date

import dagster as dg

from pipelines.periods import Semester, semesters_between

SITES = dg.DynamicPartitionsDefinition(name="sites")

# The pilot phase's first semester: no site delivers anything earlier.
PROGRAMME_START = Semester(2016, 1)


def semester_keys(today: date) -> list[str]:
    """Every semester from the programme's first to the one in progress (`2016-S1` … `2026-S2`).

    Static keys from the calendar rather than dynamic ones: they need no registration, the
    scheduled publication's semester always exists, and a semester without data publishes nothing.
    The one in progress is included so that a code location loaded months before a COPIL still
    has the semester its schedule asks for.
    """
    return [s.code for s in semesters_between(PROGRAMME_START, Semester.containing(today))]


def year_keys(today: date) -> list[str]:
    return [str(year) for year in range(PROGRAMME_START.year, today.year + 1)]


# The machine's date, not the run date of the settings: partitions are defined when the code is
# loaded, and a run dated in the past (a test, a replay) asks for a semester that exists anyway.
SEMESTRES = dg.StaticPartitionsDefinition(semester_keys(date.today()))
ANNEES = dg.StaticPartitionsDefinition(year_keys(date.today()))
