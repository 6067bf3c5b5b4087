"""Chart builders shared by the publications: trends, bars by category, ranked dot plots.

Each takes a small frame already aggregated in DuckDB and already protected: `valeur` is null
where a figure is hidden, so a hidden figure is never plotted (a trend line breaks there, a bar
is absent and its label says why); `texte` is what a reader sees (tooltips, bar labels).
Charts come out as Vega-Lite specs with the DSFR theme, drawn by Vega in a browser or turned
into SVG by the same Vega in Chromium for a PDF. Labels and legends are never cut (no label
limit); a chart's accessible name is its French description, not Vega's English defaults.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import cycle

import altair as alt
import polars as pl

from reports import theme

WIDTH = 620
ROW_HEIGHT = 18
# Ranked dot plots list every department: a tighter row keeps a plot within half a page; a
# plot of a few zones keeps the height of MIN_DOT_ROWS.
DOT_ROW_HEIGHT = 12
MIN_DOT_ROWS = 6
MAX_TICKS = 10
# Room left for category labels beside bars and dots (never cut: they take what they need).
LABELS_WIDTH = 300
LONG_LEGEND = 25
# A semester on a time axis as the tables say it, on two lines: « 1er sem. » over « 2026 » (a
# year stays a year).
PERIOD_LABEL = (
    "length(datum.value) == 7 ? [substring(datum.value, 6) == '1' ? '1er sem.' : '2e sem.', "
    "substring(datum.value, 0, 4)] : datum.value"
)


def _values(data: pl.DataFrame, columns: Sequence[str]) -> alt.Data:
    """Inline rows with only the columns a chart draws (nothing else reaches the page)."""
    return alt.Data(values=data.select(columns).to_dicts())


def _quantity(percent: bool, upper: float | None) -> dict[str, object]:
    """A quantity axis in French from 0 to `upper`, [0, 1] when nothing is plotted (every figure
    hidden) rather than an empty domain; counts tick on whole numbers only (no `0 0 1 1` axis)."""
    whole_ticks = min(math.ceil(upper or 1), MAX_TICKS)
    axis = alt.Axis(format=".0%") if percent else alt.Axis(format=",.0f", tickCount=whole_ticks)
    return {
        "title": None,
        "axis": axis,
        "scale": alt.Scale(domain=[0, upper or 1], nice=True),
    }


NATION = "France"


def _colours(series: Sequence[str]) -> list[str]:
    """The theme's colours in order, France always in the same one (the second) and no other
    series in it: on every chart of a publication that colour means France."""
    others = cycle(c for c in theme.CATEGORY if c != theme.CATEGORY[1])
    return [theme.CATEGORY[1] if s == NATION else next(others) for s in series]


def trend(
    data: pl.DataFrame,
    *,
    title: str,
    series: Sequence[str],
    percent: bool = False,
    x_labels: Sequence[str] | None = None,
    series_title: str = "Zone",
    palette_series: Sequence[str] | None = None,
) -> alt.Chart:
    """Lines over periods, one per `serie`, in the order of `series`; colours follow the order
    of `palette_series` (all the series the chart could draw: a series keeps its colour on every
    pack, whichever others have values); `series_title` names what a series is in the tooltip
    (a zone, an indicator).

    Columns: `periode` (in order), `serie`, `valeur`, `texte`.
    """
    periods = data["periode"].unique(maintain_order=True).to_list()
    every = list(palette_series or series)
    palette = dict(zip(every, _colours(every), strict=True))
    long_labels = max((len(s) for s in series), default=0) > LONG_LEGEND
    legend = alt.Legend(labelLimit=0, **({"columns": 2} if long_labels else {}))
    return (
        alt.Chart(_values(data, ["periode", "serie", "valeur", "texte"]), title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "periode:O",
                sort=periods,
                title=None,
                axis=alt.Axis(
                    labelAngle=0, values=list(x_labels or periods), labelExpr=PERIOD_LABEL
                ),
            ),
            y=alt.Y("valeur:Q", **_quantity(percent, data["valeur"].max())),
            color=alt.Color(
                "serie:N",
                sort=list(series),
                scale=alt.Scale(domain=list(series), range=[palette[s] for s in series]),
                legend=legend,
            ),
            tooltip=[
                alt.Tooltip("serie:N", title=series_title),
                alt.Tooltip("periode:O", title="Période"),
                alt.Tooltip("texte:N", title="Valeur"),
            ],
        )
        .properties(width=WIDTH, height=220)
    )


def bars(
    data: pl.DataFrame, *, title: str, category_title: str, percent: bool = False
) -> alt.LayerChart:
    """Horizontal bars by `categorie` (in frame order) labelled with `texte`.

    A hidden figure has no bar; its label (the reason it is hidden) sits at the axis.
    """
    rows = data.with_columns(pl.col("valeur").fill_null(0).alias("position"))
    order = rows["categorie"].to_list()
    base = alt.Chart(_values(rows, ["categorie", "valeur", "position", "texte"]), title=title)
    y = alt.Y("categorie:N", sort=order, title=None, axis=alt.Axis(labelLimit=0))
    quantity = _quantity(percent, rows["position"].max())
    bar = base.mark_bar().encode(
        x=alt.X("valeur:Q", **quantity),
        y=y,
        tooltip=[
            alt.Tooltip("categorie:N", title=category_title),
            alt.Tooltip("texte:N", title="Valeur"),
        ],
    )
    label = base.mark_text(align="left", dx=4).encode(
        x=alt.X("position:Q", **quantity), y=y, text="texte:N"
    )
    return (bar + label).properties(width=WIDTH - LABELS_WIDTH, height=ROW_HEIGHT * len(order))


def ranked_dots(
    data: pl.DataFrame,
    *,
    title: str,
    reference: float | None,
    reference_label: str,
    category_title: str,
    percent: bool = True,
) -> alt.LayerChart:
    """Zones ranked by `valeur` (highest first), a dot each, and the national value as a rule.

    Columns: `categorie`, `valeur`, `texte`; zones whose figure is hidden are left out (the page
    lists them).
    """
    shown = data.filter(pl.col("valeur").is_not_null()).sort("valeur", descending=True)
    y = alt.Y(
        "categorie:N", sort=shown["categorie"].to_list(), title=None, axis=alt.Axis(labelLimit=0)
    )
    dots = (
        alt.Chart(_values(shown, ["categorie", "valeur", "texte"]), title=title)
        .mark_point(filled=True, size=60, color=theme.BLUE_FRANCE)
        .encode(
            x=alt.X(
                "valeur:Q",
                **_quantity(percent, max([*shown["valeur"], reference or 0], default=None)),
            ),
            y=y,
            tooltip=[
                alt.Tooltip("categorie:N", title=category_title),
                alt.Tooltip("texte:N", title="Valeur"),
            ],
        )
    )
    layers: list[alt.Chart] = [dots]
    if reference is not None and shown.height:  # a national rule alone compares nothing
        rule = alt.Chart(alt.Data(values=[{"valeur": reference, "libelle": reference_label}]))
        layers += [
            rule.mark_rule(strokeDash=[4, 3], strokeWidth=1.5).encode(x="valeur:Q"),
            rule.mark_text(
                align="left", dx=4, dy=-4, baseline="bottom", color=theme.RED_MARIANNE
            ).encode(x="valeur:Q", y=alt.value(0), text="libelle:N"),
        ]
    return alt.layer(*layers).properties(
        width=WIDTH - LABELS_WIDTH, height=DOT_ROW_HEIGHT * max(shown.height, MIN_DOT_ROWS)
    )


def spec(chart: alt.TopLevelMixin, description: str | None = None) -> dict:
    """The chart's Vega-Lite spec with the DSFR theme (not validated again: built here);
    `description` is the drawing's accessible name."""
    with alt.theme.enable(theme.THEME):
        drawn = chart.to_dict(validate=False)
    return {**drawn, "description": description} if description else drawn
