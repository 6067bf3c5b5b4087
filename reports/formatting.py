"""French number and date formats for everything published (`12,5 %`, `1 350`, `juillet 2026`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

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


@dataclass(frozen=True)
class UnitFormat:
    """How a unit of the catalog prints: `scale × value` with `decimals` decimals, then `suffix`.
    The one rule every output follows (the dashboard's script receives it in its data)."""

    scale: int = 1
    decimals: int = 0
    suffix: str = ""

    @property
    def percent(self) -> bool:
        return self.scale == 100


_PERCENT = UnitFormat(100, 1, f"{NARROW_NBSP}%")
UNIT_FORMATS = {
    "nombre": UnitFormat(),
    "taux": _PERCENT,
    "ratio": _PERCENT,
    "etp": UnitFormat(decimals=1),
    "moyenne": UnitFormat(decimals=2),
    "jours": UnitFormat(suffix=" jours"),
}


def rounded(value: float, decimals: int = 0) -> Decimal:
    """Half up, as French public statistics print (6,25 → 6,3), on the value as written
    (`repr`), not on its binary approximation: one rule for every output."""
    step = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP)


def number(value: float | int | None, decimals: int = 0) -> str:
    """`1350.5` → `1 350,5` (narrow no-break space for thousands, comma for decimals)."""
    if value is None:
        return "–"
    text = f"{rounded(value, decimals):,.{decimals}f}".replace(",", NARROW_NBSP).replace(".", ",")
    return text


def percent(fraction: float | None, decimals: int = 1) -> str:
    return "–" if fraction is None else f"{number(100 * fraction, decimals)}{_PERCENT.suffix}"


def figure(value: float | None, unit: str) -> str:
    """An indicator as every output prints it: `1 350`, `12,5 %`, `45 jours`, `11,5` (ETP),
    `0,75` (a mean per person, such as trainings per exit)."""
    if value is None:
        return "–"
    shape = UNIT_FORMATS[unit]
    return f"{number(shape.scale * value, shape.decimals)}{shape.suffix}"


def figure_as_printed(value: float | None, unit: str) -> float | None:
    """The number `figure` prints, as a number (a rate as a fraction): what the dashboard embeds,
    so that it shows the same string and a change is the difference of two printed figures."""
    if value is None:
        return None
    shape = UNIT_FORMATS[unit]
    return float(rounded(shape.scale * value, shape.decimals)) / shape.scale


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
