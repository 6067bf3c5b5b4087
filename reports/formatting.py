"""French number and date formats for everything published (`12,5 %`, `1 350`, `juillet 2026`)."""

from __future__ import annotations

from datetime import date, datetime

NARROW_NBSP = "\u202f"
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def number(value: float | int | None, decimals: int = 0) -> str:
    """`1350.5` → `1 350,5` (narrow no-break space for thousands, comma for decimals)."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}".replace(",", NARROW_NBSP).replace(".", ",")
    return text


def percent(fraction: float | None, decimals: int = 1) -> str:
    return "–" if fraction is None else f"{number(100 * fraction, decimals)}{NARROW_NBSP}%"


def day(value: date | datetime | None) -> str:
    return "–" if value is None else value.strftime("%d/%m/%Y")


def long_day(value: date | datetime | None) -> str:
    """`5 juillet 2026` (`1er` for the first of the month)."""
    if value is None:
        return "–"
    first = "1er" if value.day == 1 else str(value.day)
    return f"{first} {MONTHS[value.month - 1]} {value.year}"


def month(value: date | datetime) -> str:
    return f"{MONTHS[value.month - 1]} {value.year}"


def period(code: str) -> str:
    """`2026-S1` → `1er semestre 2026`; a year stays a year."""
    if "-S" not in code:
        return code
    year, half = code.split("-S")
    return f"{'1er' if half == '1' else '2e'} semestre {year}"
