"""The dashboard's Vega-Lite views, built with Altair on named data sources.

The views carry no data: the page pushes the rows of the chosen filters into each view's named
sources (`view.data(name, rows)`), taken from the suppressed figures embedded once in the page.
So every filter applies to every view, and what a view holds is exactly what it may show.
Values arrive already formatted in French (`texte`, `etiquette`) for labels and tooltips.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import altair as alt

from pipelines.catalog import Indicator
from pipelines.codes import Code
from reports import formatting, theme

# Named data sources the page fills (see templates/tableau_de_bord.js).
TRENDS_DATA = "tendances"
DEPARTMENTS_DATA = "departements"
NATIONAL_DATA = "national"
DELIVERIES_DATA = "livraisons"
BREAKDOWNS_DATA = "ventilations"

COMPARISON_PARAM = "indicateur"
COMPARISON_SELECT = "#choix-indicateur"
CHOSEN = f"datum.indicateur === {COMPARISON_PARAM}"
PERCENT_AXIS = ".1~%"  # 2 %, 1,5 %: no two ticks with the same label on small rates

ZONE_COLOUR = theme.BLUE_FRANCE
FRANCE_COLOUR = theme.ILLUSTRATIVE["orange-terre-battue"]
OTHER_DEPARTMENTS = "#6a6af4"  # --blue-france-main-525: the chosen department stays darker


def is_percent(indicator: Indicator) -> bool:
    """Rates and ratios are shown as percentages, everything else as numbers."""
    return formatting.UNIT_FORMATS[indicator.unite].percent


def _hover(name: str) -> alt.Parameter:
    """The period under the pointer, shared by every panel of a facet (linked selection)."""
    return alt.selection_point(
        name=name,
        fields=["debut"],
        on="pointerover",
        nearest=True,
        empty=False,
        clear="pointerout",
    )


def _trend_facet(indicators: Sequence[Indicator], group: str, axis_format: str) -> alt.FacetChart:
    """Small multiples of one unit: the zone's line, France's (dashed), the chosen period."""
    hover = _hover(f"survol_{group}")
    role_scale = alt.Scale(domain=["zone", "nation"], range=[ZONE_COLOUR, FRANCE_COLOUR])
    dash_scale = alt.Scale(domain=["zone", "nation"], range=[[1, 0], [4, 3]])
    base = alt.Chart().encode(
        x=alt.X("debut:T", title=None, axis=alt.Axis(format="%Y", tickCount="year", grid=False)),
        y=alt.Y("valeur:Q", title=None, axis=alt.Axis(format=axis_format, tickCount=4)),
        color=alt.Color("role:N", scale=role_scale, legend=None),
    )
    # Each period is marked: a series with one measurable period still shows.
    lines = base.mark_line(strokeWidth=2, point=alt.OverlayMarkDef(filled=True, size=16)).encode(
        strokeDash=alt.StrokeDash("role:N", scale=dash_scale, legend=None)
    )
    chosen = base.mark_point(filled=True, size=50).transform_filter(alt.datum.courante)
    # First layer, named: Altair attaches a facet's selection to its first layer. Its nearest
    # pointer capture (a Voronoi overlay) shows no tooltip: the hovered points, drawn last, do.
    selector = base.mark_point(opacity=0).add_params(hover).properties(name=f"selecteur_{group}")
    hovered = base.mark_point(filled=True, size=70).encode(
        opacity=alt.condition(hover, alt.value(1), alt.value(0)),
        tooltip=[
            alt.Tooltip("libelle_periode:N", title="Période"),
            alt.Tooltip("serie:N", title="Zone"),
            alt.Tooltip("texte:N", title="Valeur"),
            alt.Tooltip("effectif:N", title="Effectif"),
        ],
    )
    rule = (
        alt.Chart().mark_rule(color=theme.TEXT_MENTION).encode(x="debut:T").transform_filter(hover)
    )
    return (
        alt.layer(selector, lines, chosen, rule, hovered)
        .properties(width=250, height=140)
        .facet(
            facet=alt.Facet(
                "libelle:N",
                sort=[i.libelle for i in indicators],
                title=None,
                header=alt.Header(labelFontWeight="bold", labelLimit=250),
            ),
            columns=3,
            data=alt.Data(name=TRENDS_DATA),
        )
        .transform_filter(
            alt.FieldOneOfPredicate(field="indicateur", oneOf=[i.id for i in indicators])
        )
        .resolve_scale(y="independent")
    )


def trends_chart(indicators: Sequence[Indicator]) -> alt.VConcatChart:
    """Trend lines of the chosen zone: volumes first, then rates (one axis format per group)."""
    return alt.vconcat(
        _trend_facet([i for i in indicators if not is_percent(i)], "volumes", ",.0f"),
        _trend_facet([i for i in indicators if is_percent(i)], "taux", PERCENT_AXIS),
    )


def comparison_chart(indicators: Sequence[Indicator], default: str) -> alt.LayerChart:
    """Departments (or sites) sorted on the indicator picked in a bound select, France as a
    dashed rule.

    Hidden figures have no bar but keep their line, with the reason in place of the value.
    """
    choice = alt.param(
        name=COMPARISON_PARAM,
        value=default,
        bind=alt.binding_select(
            options=[i.id for i in indicators],
            labels=[i.libelle for i in indicators],
            name="Indicateur comparé",
            element=COMPARISON_SELECT,
        ),
    )
    percent_ids = json.dumps([i.id for i in indicators if is_percent(i)])
    label_format = f"indexof({percent_ids}, {COMPARISON_PARAM}) >= 0 ? '{PERCENT_AXIS}' : ',.4~g'"
    departments = (
        alt.Chart(alt.Data(name=DEPARTMENTS_DATA))
        .transform_filter(CHOSEN)
        .transform_calculate(
            # Figures are never negative: hidden ones (no value) go last.
            rang="isValid(datum.valeur) ? datum.valeur : -1",
            position="isValid(datum.valeur) ? datum.valeur : 0",
        )
    )
    y = alt.Y(
        "libelle:N",
        title=None,
        sort=alt.EncodingSortField("rang", op="max", order="descending"),
        axis=alt.Axis(labelLimit=360),
    )
    bars = departments.mark_bar(height={"band": 0.7}).encode(
        x=alt.X(
            "valeur:Q",
            title=None,
            axis=alt.Axis(
                orient="top", labelExpr=f"format(datum.value, {label_format})", tickCount=5
            ),
            scale=alt.Scale(domain=alt.DomainUnionWith(unionWith=[0])),
        ),
        y=y,
        color=alt.condition(
            alt.datum.selectionne, alt.value(ZONE_COLOUR), alt.value(OTHER_DEPARTMENTS)
        ),
        tooltip=[
            alt.Tooltip("libelle:N", title="Zone"),
            alt.Tooltip("texte:N", title="Valeur"),
            alt.Tooltip("effectif:N", title="Effectif"),
        ],
    )
    labels = departments.mark_text(align="left", dx=4, color=theme.TEXT_MENTION).encode(
        x="position:Q", y=y, text="etiquette:N"
    )
    national = alt.Chart(alt.Data(name=NATIONAL_DATA)).transform_filter(CHOSEN)
    rule = national.mark_rule(color=theme.RED_MARIANNE, strokeDash=[4, 3], strokeWidth=2).encode(
        x="valeur:Q", tooltip=[alt.Tooltip("etiquette:N", title="France")]
    )
    rule_label = national.mark_text(
        align="left", dx=4, dy=-26, y=0, color=theme.RED_MARIANNE
    ).encode(x="valeur:Q", text="etiquette:N")
    return (
        alt.layer(bars, labels, rule, rule_label)
        .add_params(choice)
        .properties(width=480, height=alt.Step(18))
    )


def deliveries_chart(statuses: Sequence[Code]) -> alt.LayerChart:
    """Which site delivered for which semester: the worst status of its three exports, as a
    coloured cell and a symbol, both from the code list (the legend pairs them with the status'
    name).

    `statuses` from the best to the worst (pipelines.codes.delivery_statuses), the legend's order.
    """
    domain = [c.libelle for c in statuses]
    status = alt.Color(
        "libelle_statut:N",
        scale=alt.Scale(domain=domain, range=[c.attributes["couleur"] for c in statuses]),
        legend=alt.Legend(title="Couleur", orient="right", symbolStrokeColor=theme.TEXT),
    )
    symbol = alt.Shape(
        "libelle_statut:N",
        scale=alt.Scale(domain=domain, range=[c.attributes["symbole"] for c in statuses]),
        legend=alt.Legend(title="Symbole", orient="right"),
    )
    base = alt.Chart(alt.Data(name=DELIVERIES_DATA)).encode(
        x=alt.X("periode:O", title=None, axis=alt.Axis(labelAngle=-45, orient="top")),
        y=alt.Y("site:N", title=None, axis=alt.Axis(labelLimit=0)),
        tooltip=[
            alt.Tooltip("site:N", title="Site"),
            alt.Tooltip("libelle_periode:N", title="Période"),
            alt.Tooltip("libelle_statut:N", title="État"),
            alt.Tooltip("parcours:N", title="Parcours"),
            alt.Tooltip("personnel:N", title="Personnel"),
            alt.Tooltip("suivi:N", title="Suivi"),
            alt.Tooltip("anomalies:N", title="Fichiers ou lignes écartés"),
        ],
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(color=status)
    symbols = base.mark_point(filled=False, size=40, strokeWidth=1.5, color=theme.TEXT).encode(
        shape=symbol
    )
    # Two legends beside the grid, the colours and the symbols, each naming every status.
    return (
        alt.layer(cells, symbols)
        .resolve_legend(color="independent", shape="independent")
        .properties(width=alt.Step(26), height=alt.Step(16))
    )


# Whole numbers only: a short axis (0 to 1) would otherwise print 0,5 as « 1 ».
COUNT_AXIS = alt.Axis(labelExpr="datum.value % 1 ? '' : format(datum.value, ',d')", tickMinStep=1)


def breakdowns_chart(groups: Sequence[tuple[str, str]]) -> alt.VConcatChart:
    """One bar panel per breakdown (group, title) of the chosen zone and period, each bar
    labelled with its French text (a hidden count has no bar and reads « secret »)."""
    panels = []
    for group, title in groups:
        base = (
            alt.Chart(alt.Data(name=BREAKDOWNS_DATA), title=title)
            .transform_filter(f"datum.groupe === '{group}'")
            .encode(
                y=alt.Y(
                    "categorie:N",
                    sort=alt.EncodingSortField("ordre"),
                    title=None,
                    axis=alt.Axis(labelLimit=0),
                ),
                tooltip=[
                    alt.Tooltip("categorie:N", title="Catégorie"),
                    alt.Tooltip("texte:N", title="Nombre"),
                ],
            )
        )
        # At least 0 to 1: a panel whose counts are all hidden or 0 keeps its axis at the left.
        bars = base.mark_bar(color=ZONE_COLOUR).encode(
            x=alt.X(
                "valeur:Q",
                title=None,
                axis=COUNT_AXIS,
                scale=alt.Scale(domain=alt.DomainUnionWith(unionWith=[0, 1])),
            )
        )
        labels = base.mark_text(align="left", dx=4, color=theme.TEXT).encode(
            x=alt.X("position:Q", axis=COUNT_AXIS), text="texte:N"
        )  # at the bar's end, or at 0 for a hidden or missing count
        panels.append(alt.layer(bars, labels).properties(width=360, height=alt.Step(18)))
    return alt.vconcat(*panels)
