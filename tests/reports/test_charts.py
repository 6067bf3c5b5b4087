"""A chart with nothing to draw (every value hidden or missing, or every bar 0) is not drawn as an
empty frame."""

from __future__ import annotations

import polars as pl

from reports import charts
from reports.packs.render import chart_specs
from reports.packs.views import Chart, bar_chart, category_table, trend_chart


def _trend(values: list[float | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "periode": ["2025-S1", "2025-S2"],
            "serie": ["France"] * 2,
            "valeur": values,
            "texte": ["secret" if v is None else str(v) for v in values],
        },
        schema={"periode": pl.String, "serie": pl.String, "valeur": pl.Float64, "texte": pl.String},
    )


def test_a_chart_whose_values_are_all_hidden_is_not_drawn() -> None:
    hidden = trend_chart(
        "retours", "Retours", "Retours par semestre.", _trend([None, None]), ["France"]
    )
    shown = trend_chart(
        "sorties", "Sorties", "Sorties par semestre.", _trend([12.0, None]), ["France"]
    )
    assert hidden.vide and not shown.vide
    assert hidden.donnees.lignes  # the table still says why
    assert set(chart_specs({"graphiques": {"retours": hidden, "sorties": shown}})) == {"sorties"}


def _bars(values: list[float | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "categorie": [f"motif {i}" for i in range(len(values))],
            "valeur": values,
            "texte": ["secret" if v is None else str(v) for v in values],
        },
        schema={"categorie": pl.String, "valeur": pl.Float64, "texte": pl.String},
    )


def test_bars_that_are_all_zero_or_hidden_are_not_drawn() -> None:
    """Exits by reason in a small department: « secret » or 0 for every reason leaves no bar,
    only an axis; a zero on a line is a point, and stays drawn."""
    nothing = bar_chart("motifs", "Motifs", "Sorties par motif.", _bars([None, 0.0, 0.0]), "Motif")
    one = bar_chart("motifs", "Motifs", "Sorties par motif.", _bars([None, 0.0, 6.0]), "Motif")
    line = trend_chart("retours", "Retours", "Retours.", _trend([0.0, None]), ["France"])
    assert nothing.vide and not one.vide and not line.vide
    assert [row.cellules[0].texte for row in nothing.donnees.lignes] == ["secret", "0.0", "0.0"]


def test_what_a_trend_does_not_draw_is_named_under_it() -> None:
    """Entries hidden in two semesters of three, exits in none, returns in all three: the
    returns have no line, the entries a line with gaps, and the caption names both with the
    texts shown instead."""
    periods = ["2025-S1", "2025-S2", "2026-S1"]
    rows = {
        "Entrées": [(None, "secret"), (31.0, "31"), (None, "livraison manquante")],
        "Sorties": [(20.0, "20"), (18.0, "18"), (25.0, "25")],
        "Retours": [(None, "secret")] * 3,
    }
    frame = pl.DataFrame(
        [
            (p, name, v, t)
            for name, values in rows.items()
            for p, (v, t) in zip(periods, values, strict=True)
        ],
        schema={"periode": pl.String, "serie": pl.String, "valeur": pl.Float64, "texte": pl.String},
        orient="row",
    )
    chart = trend_chart("volumes", "Volumes", "Volumes par semestre.", frame, list(rows))
    assert chart.absents == (
        "Aucune courbe pour : Retours (« secret »). "
        "Points absents : Entrées, 2 point(s) (« secret », « livraison manquante »)."
    )
    complete = trend_chart(
        "sorties", "Sorties", "Sorties.", frame.filter(pl.col("serie") == "Sorties"), ["Sorties"]
    )
    assert complete.absents is None


def test_a_ranking_whose_zones_are_all_hidden_is_not_drawn() -> None:
    """Every department « secret »: the national rule alone would compare nothing, so the chart
    is not drawn (the page says why and names the zones)."""
    frame = pl.DataFrame(
        {"categorie": ["Aisne", "Aube"], "valeur": [None, None], "texte": ["secret"] * 2},
        schema={"categorie": pl.String, "valeur": pl.Float64, "texte": pl.String},
    )
    shown = frame.with_columns(pl.Series("valeur", [0.4, None]))

    def ranking(data: pl.DataFrame) -> Chart:
        dots = charts.ranked_dots(
            data,
            title="Taux",
            reference=0.3,
            reference_label="France : 30 %",
            category_title="Département",
        )
        return Chart(
            "taux",
            "Taux",
            "Taux.",
            charts.spec(dots, "Taux."),
            category_table(data, "Département", "Taux"),
        )

    assert ranking(frame).vide and not ranking(shown).vide


def _colour_of(chart: Chart) -> dict[str, str]:
    """Each drawn series → its colour, read from the spec's colour scale."""
    specs = [chart.spec, *chart.spec.get("layer", [])]
    scale = next(s["encoding"]["color"]["scale"] for s in specs if "encoding" in s)
    return dict(zip(scale["domain"], scale["range"], strict=True))


def test_a_series_keeps_its_colour_whichever_others_are_drawn_and_only_france_is_orange() -> None:
    """« File active » was green on one pack, orange (France's colour) on another and blue on a
    third, as the entries and exits beside it were hidden or not."""
    series = ["Entrées", "Sorties", "File active"]
    frames = {
        "toutes": [10.0, 8.0, 30.0],
        "file_active_seule": [None, None, 30.0],
    }
    colours = []
    for key, values in frames.items():
        frame = pl.concat(
            [
                _trend([v, v]).with_columns(pl.lit(s).alias("serie"))
                for s, v in zip(series, values, strict=True)
            ]
        )
        colours.append(_colour_of(trend_chart(key, "Flux", "Flux.", frame, series)))
    assert colours[1]["File active"] == colours[0]["File active"]
    assert len(set(colours[0].values())) == 3
    with_france = _trend([1.0, 2.0])
    france = _colour_of(trend_chart("f", "France", "France.", with_france, ["France"]))["France"]
    assert france not in colours[0].values()


def test_an_empty_chart_says_why_from_what_its_table_shows() -> None:
    """A site that delivered nothing: « livraison manquante », not « masked, missing or zero »."""
    missing = _trend([None, None]).with_columns(pl.lit("livraison manquante").alias("texte"))
    chart = trend_chart("retours", "Retours", "Retours par semestre.", missing, ["France"])
    assert chart.vide and chart.motifs_vide == "« livraison manquante »"
    zero_and_secret = _bars([0.0, None]).with_columns(pl.Series("texte", ["0", "secret"]))
    bars = bar_chart("motifs", "Motifs", "Motifs.", zero_and_secret, "Motif")
    assert bars.vide
    assert bars.motifs_vide == "chiffres nuls, chiffres masqués par le secret statistique"
