"""The COPIL calendar: departmental packs after each semester's deliveries are due, the national
report once a year after the second semester's.

Deliveries are due on the 15th of the second month after a semester (settings): the packs are
published on the 1st of the following month (1 March and 1 September by default), at 6 h, after
the monthly purge (3 h); the national report of a year on the same day as its second semester's
packs.
"""

from datetime import date

import dagster as dg

from pipelines.defs.publication import dossiers_copil, rapport_national
from pipelines.periods import Semester
from pipelines.settings import Settings

TIMEZONE = "Europe/Paris"


def publication_month(half: int, settings: Settings) -> int:
    """The month after the one a semester's deliveries are due in (1–12)."""
    due = Semester(2000, half).due_date(settings.due_months_after, settings.due_day)
    return due.month % 12 + 1


def last_due_semester(day: date, settings: Settings) -> Semester:
    """The latest semester whose deliveries were due before `day`."""
    semester = Semester.containing(day).previous()
    while semester.due_date(settings.due_months_after, settings.due_day) >= day:
        semester = semester.previous()
    return semester


def last_due_year(day: date, settings: Settings) -> int:
    """The latest year whose second semester's deliveries were due before `day`."""
    semester = last_due_semester(day, settings)
    return semester.year if semester.half == 2 else semester.year - 1


def publication_schedules(settings: Settings) -> list[dg.ScheduleDefinition]:
    """The semester packs' and the national report's schedules, from the settings' due dates."""
    semester_months = sorted({publication_month(h, settings) for h in (1, 2)})

    @dg.schedule(
        job=dossiers_copil,
        cron_schedule=f"0 6 1 {','.join(map(str, semester_months))} *",
        execution_timezone=TIMEZONE,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Dossiers des COPIL départementaux du semestre dont les livraisons viennent d'être dues.",
    )
    def dossiers_copil_semestriels(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        semester = last_due_semester(context.scheduled_execution_time.date(), settings).code
        return dg.RunRequest(run_key=semester, partition_key=semester)

    @dg.schedule(
        job=rapport_national,
        cron_schedule=f"0 6 1 {publication_month(2, settings)} *",
        execution_timezone=TIMEZONE,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Rapport national de l'année dont les livraisons du second semestre viennent d'être dues.",
    )
    def rapport_national_annuel_planifie(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        year = str(last_due_year(context.scheduled_execution_time.date(), settings))
        return dg.RunRequest(run_key=year, partition_key=year)

    return [dossiers_copil_semestriels, rapport_national_annuel_planifie]
