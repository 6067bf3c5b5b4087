"""What a pack's pages show, cut from its dataset only: tables of figures and chart data.

A table cell keeps the key of the figure it prints (zone, period, indicator), so the page can
carry it as data attributes and be checked against the warehouse.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from pipelines.catalog import load_catalog
from pipelines.codes import load_codes
from reports import charts
from reports.confidentiality import SECRET_TEXT
from reports.formatting import period as period_label
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

    @property
    def groupes(self) -> list[list[Row]]:
        """Rows up to each total, where totals close groups (sites, then their department's
        total): the PDF keeps a group on one page. One group otherwise."""
        if sum(row.total for row in self.lignes) < 2:
            return [self.lignes]
        groups: list[list[Row]] = [[]]
        for row in self.lignes:
            groups[-1].append(row)
            if row.total:
                groups.append([])
        return [group for group in groups if group]


@dataclass(frozen=True)
class Chart:
    """A chart's Vega-Lite spec, with the sentence that says what it shows (alternative text),
    the table of what it draws (shown on demand on the web page, in an annex of the PDF) and,
    when a series has nothing to draw, the sentence that says so and why."""

    id: str
    titre: str
    description: str
    spec: dict
    donnees: Table
    absents: str | None = None
    # A line at 0 says something; a bar of 0 draws nothing.
    zero_drawn: bool = True

    @property
    def vide(self) -> bool:
        """Nothing to draw (every value hidden or missing, or every bar 0): the caption and the
        table say why, and no empty frame is drawn."""
        values = [row.get("valeur") for row in _rows(self.spec)]
        return not any(v is not None and (self.zero_drawn or v != 0) for v in values)

    @property
    def motifs_vide(self) -> str:
        """Why an empty chart draws nothing, from the texts its table shows in place of values:
        « chiffres nuls », « secret statistique », « livraison manquante »…"""
        texts = dict.fromkeys(
            row.get("texte") or MISSING
            for row in _rows(self.spec)
            if row.get("valeur") is None or row.get("valeur") == 0
        )
        named = {"0": "chiffres nuls", SECRET_TEXT: "chiffres masqués par le secret statistique"}
        return (
            ", ".join(named.get(t, "pas de donnée" if t == MISSING else f"« {t} »") for t in texts)
            or "chiffres nuls, masqués ou non mesurables"
        )


def _rows(spec: object) -> list[dict]:
    """Every inline data row of a Vega-Lite spec (top level, layers, named datasets)."""
    if isinstance(spec, list):
        return [row for item in spec for row in _rows(item)]
    if not isinstance(spec, dict):
        return []
    rows = [r for r in spec.get("values", []) if isinstance(r, dict)]
    named = [r for data in spec.get("datasets", {}).values() for r in data]
    nested = [row for k, v in spec.items() if k not in ("values", "datasets") for row in _rows(v)]
    return [*rows, *named, *nested]


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


def of_theme(theme: str) -> tuple[str, ...]:
    """The catalog's indicators of a theme, in its order."""
    return tuple(i.id for i in load_catalog().indicators if i.theme == theme)


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


def text_cell(text: str) -> Cell:
    """A printed text that is not one figure of the warehouse (a chart's data table)."""
    return Cell(text, None, "", "", "")


def _reasons(texts: Sequence[str]) -> str:
    shown = [f"« {t} »" if t != MISSING else "pas de donnée" for t in dict.fromkeys(texts)]
    return ", ".join(shown)


def undrawn_series(frame: pl.DataFrame, series: Sequence[str]) -> tuple[list[str], str | None]:
    """The series with at least one value to draw, and the sentence naming what is not drawn with
    the texts shown in its place (a hidden figure's reason, or no data): the series without any
    point, then the points missing from the others (a line with gaps is not a line that stops)."""
    missing = {
        name: (rows["valeur"].is_null().all(), rows.filter(pl.col("valeur").is_null())["texte"])
        for name in series
        if (rows := frame.filter(pl.col("serie") == name))["valeur"].is_null().any()
    }
    empty = [name for name, (all_missing, _) in missing.items() if all_missing]
    sentences = []
    if empty:
        named = " ; ".join(f"{name} ({_reasons(missing[name][1].to_list())})" for name in empty)
        sentences.append(f"Aucune courbe pour : {named}.")
    if gaps := [name for name in missing if name not in empty]:
        named = " ; ".join(
            f"{name}, {len(missing[name][1])} point(s) ({_reasons(missing[name][1].to_list())})"
            for name in gaps
        )
        sentences.append(f"Points absents : {named}.")
    return [s for s in series if s not in empty], " ".join(sentences) or None


def series_table(frame: pl.DataFrame, series: Sequence[str], first: str) -> Table:
    """A trend's data: one row per period, one column per series, the texts the page shows."""
    texts = {(r["periode"], r["serie"]): r["texte"] for r in frame.iter_rows(named=True)}
    periods = frame["periode"].unique(maintain_order=True).to_list()
    return Table(
        [first, *series],
        [
            Row(period_label(p), [text_cell(texts.get((p, s), MISSING)) for s in series])
            for p in periods
        ],
    )


def category_table(frame: pl.DataFrame, first: str, value: str) -> Table:
    """A bar or dot chart's data: one row per category, with the text the page shows."""
    return Table(
        [first, value],
        [Row(r["categorie"], [text_cell(r["texte"])]) for r in frame.iter_rows(named=True)],
    )


def trend_chart(
    key: str,
    title: str,
    description: str,
    frame: pl.DataFrame,
    series: Sequence[str],
    *,
    first: str = "Semestre",
    series_title: str = "Zone",
    **drawing: object,
) -> Chart:
    """Lines over periods (charts.trend), drawn for the series that have values; the others are
    left out of the legend and named under the chart with the reason."""
    drawn, absent = undrawn_series(frame, series)
    chart = charts.trend(
        frame,
        title=title,
        series=drawn,
        series_title=series_title,
        palette_series=series,
        **drawing,  # type: ignore[arg-type]
    )
    return Chart(
        key,
        title,
        description,
        charts.spec(chart, description),
        series_table(frame, series, first),
        absent,
    )


def bar_chart(
    key: str, title: str, description: str, frame: pl.DataFrame, category_title: str
) -> Chart:
    """Bars by category (charts.bars), with their data table."""
    chart = charts.bars(frame, title=title, category_title=category_title)
    return Chart(
        key,
        title,
        description,
        charts.spec(chart, description),
        category_table(frame, category_title, "Nombre"),
        zero_drawn=False,
    )
