"""What a pack's pages show, cut from its dataset only: tables of figures and chart data.

A table cell keeps the key of the figure it prints (zone, period, indicator), so the page can
carry it as data attributes and be checked against the warehouse.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from pipelines.codes import load_codes
from pipelines.warehouse.models import load_catalog
from reports.packs.dataset import NATIONAL, PackDataset

MISSING = "–"


@dataclass(frozen=True)
class Cell:
    """One printed figure; `maille` is None when the zone has no figure for that period."""

    texte: str
    maille: str | None
    code_zone: str
    periode: str
    indicateur: str
    supprime: bool = False


@dataclass(frozen=True)
class Row:
    libelle: str
    cellules: list[Cell]
    total: bool = False


@dataclass(frozen=True)
class Table:
    colonnes: list[str]
    lignes: list[Row]


@dataclass(frozen=True)
class Chart:
    """A chart's Vega-Lite spec, with the sentence that says what it shows (alternative text)."""

    id: str
    titre: str
    description: str
    spec: dict


class Figures:
    """A dataset's figures by (maille, zone, period, indicator)."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self._rows = {
            (r["maille"], r["code_zone"], r["periode"], r["indicateur"]): r
            for r in frame.iter_rows(named=True)
        }

    def cell(self, maille: str, zone: str, period: str, indicator: str) -> Cell:
        row = self._rows.get((maille, zone, period, indicator))
        if row is None:
            return Cell(MISSING, None, zone, period, indicator)
        return Cell(row["texte"], maille, zone, period, indicator, row["supprime"])

    def value(self, maille: str, zone: str, period: str, indicator: str) -> float | None:
        row = self._rows.get((maille, zone, period, indicator))
        return None if row is None else row["valeur"]

    def series(
        self, maille: str, zone: str, indicator: str, periods: Sequence[str], name: str
    ) -> list[dict]:
        """Chart rows over periods (null where hidden or missing: never plotted)."""
        cells = [(p, self._rows.get((maille, zone, p, indicator))) for p in periods]
        return [
            {
                "periode": p,
                "serie": name,
                "valeur": None if r is None else r["valeur"],
                "texte": MISSING if r is None else r["texte"],
            }
            for p, r in cells
        ]


def label(indicator: str) -> str:
    return load_catalog()[indicator].libelle


def code_labels(nomenclature: str, prefix: str) -> list[tuple[str, str]]:
    """(indicator id, French label) for each code of a code list: `sorties_deces` → « Décès »."""
    return [(f"{prefix}{c.code}", c.libelle) for c in load_codes()[nomenclature].codes]


def indicator_rows(
    figures: Figures, indicators: Iterable[str], columns: Sequence[tuple[str, str, str]]
) -> list[Row]:
    """One row per indicator, one cell per (maille, zone, period) column."""
    return [Row(label(i), [figures.cell(m, z, p, i) for m, z, p in columns]) for i in indicators]


def zone_rows(
    figures: Figures,
    zones: Sequence[tuple[str, str, str]],
    period: str,
    indicators: Sequence[str],
) -> list[Row]:
    """One row per (maille, zone, label), one cell per indicator, for one period."""
    return [
        Row(name, [figures.cell(m, z, period, i) for i in indicators], total=m != "site")
        for m, z, name in zones
    ]


def periods_of(dataset: PackDataset, maille: str, zone: str) -> list[str]:
    frame = dataset.figures.filter((pl.col("maille") == maille) & (pl.col("code_zone") == zone))
    return sorted(frame["periode"].unique().to_list())


def chart_frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={"periode": pl.String, "serie": pl.String, "valeur": pl.Float64, "texte": pl.String},
    )


def comparison_series(
    figures: Figures, own: tuple[str, str, str], indicator: str, periods: Sequence[str]
) -> pl.DataFrame:
    """A zone's figures over periods and the nation's beside them."""
    maille, zone, name = own
    return chart_frame(
        figures.series(maille, zone, indicator, periods, name)
        + figures.series(NATIONAL, "FR", indicator, periods, "France")
    )


def labelled_frame(
    figures: Figures, items: Sequence[tuple[str, tuple[str, str, str, str]]]
) -> pl.DataFrame:
    """Chart rows (`categorie`, `valeur`, `texte`) for (label, figure key) pairs."""
    return pl.DataFrame(
        [
            {"categorie": name, "valeur": figures.value(*key), "texte": figures.cell(*key).texte}
            for name, key in items
        ],
        schema={"categorie": pl.String, "valeur": pl.Float64, "texte": pl.String},
    )
