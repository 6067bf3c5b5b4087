"""The national annual report's page: the year's national figures and trends; exits, releases,
sentence adjustments, training and the situation after release; re-incarceration by release year
with its splits; the deployment of the programme; departments and DISP compared (ranked dot
plots around the national value); results by DISP, region, type of SIAE and type of prison; every
site in an annex table; then the annexes.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.catalog import load_catalog
from reports import charts
from reports.packs.annexes import annex_context
from reports.packs.dataset import DEPARTMENT, DISP, NATIONAL, PackDataset
from reports.packs.departmental import KEY_FIGURES, PROFILE, RETURNS, SITE_COLUMNS, STAFF
from reports.packs.views import (
    Chart,
    Figures,
    Table,
    category_table,
    chart_frame,
    indicator_rows,
    label,
    labelled_frame,
    of_theme,
    trend_chart,
    zone_rows,
)

VOLUMES = ("entrees", "sorties", "file_active")
RATES = (
    "taux_occupation",
    "taux_sortie_emploi_formation",
    "taux_retour_detention_ordinaire",
    "taux_amenagement",
)

# Grains compared, with their French names (plural, singular, as a column heading).
GRAINS = (
    (DEPARTMENT, "départements", "département", "Département"),
    (DISP, "DISP", "DISP", "DISP"),
)
# Partitions of the nation with a results table each: grain, title, first column.
PARTITIONS = (
    (DISP, "Directions interrégionales", "DISP"),
    ("region", "Régions", "Région"),
    ("type_siae", "Types de SIAE", "Type de SIAE"),
    ("type_etablissement", "Types d'établissement pénitentiaire", "Type d'établissement"),
)
DEPLOYMENT = (*of_theme("deploiement"), "etp_realises", "taux_occupation")
YEARS_SHOWN = 4


@dataclass(frozen=True)
class Panel:
    """A ranked dot plot and the zones left out of it, each with what its figure reads instead
    (« secret », « livraison manquante »…)."""

    graphique: Chart
    non_representes: list[str]


def _zones(dataset: PackDataset, maille: str) -> list[tuple[str, str, str | None]]:
    """(code, label, department) of a grain's zones with figures for the year, in code order."""
    return (
        dataset.figures.filter((pl.col("maille") == maille) & (pl.col("periode") == dataset.period))
        .select("code_zone", "libelle_zone", "code_departement")
        .unique()
        .sort("code_departement", "libelle_zone", nulls_last=True)
        .rows()
    )


def _national_trend(
    figures: Figures, indicators: tuple[str, ...], years: list[str]
) -> pl.DataFrame:
    return chart_frame(
        [row for i in indicators for row in figures.series(NATIONAL, "FR", i, years, label(i))]
    )


def _panel(
    dataset: PackDataset, figures: Figures, indicator: str, grain: tuple[str, str, str, str]
) -> Panel:
    maille, plural, singular, heading = grain
    year = dataset.period
    frame = labelled_frame(
        figures,
        [(name, (maille, code, year, indicator)) for code, name, _ in _zones(dataset, maille)],
    )
    title = f"{label(indicator)} des {plural}, {year}"
    dots = charts.ranked_dots(
        frame,
        title=title,
        reference=figures.value(NATIONAL, "FR", year, indicator),
        reference_label=f"France : {figures.cell(NATIONAL, 'FR', year, indicator).texte}",
        category_title=heading,
    )
    description = (
        f"{label(indicator)} de chaque {singular} en {year}, du plus élevé au plus faible ; la "
        "ligne marque la valeur nationale."
    )
    table = category_table(frame, heading, label(indicator))
    left_out = [
        f"{name} ({figures.cell(maille, code, year, indicator).texte})"
        for code, name, _ in _zones(dataset, maille)
        if figures.value(maille, code, year, indicator) is None
    ]
    return Panel(
        Chart(f"{indicator}-{maille}", title, description, charts.spec(dots, description), table),
        left_out,
    )


def _trends(figures: Figures, years: list[str]) -> list[Chart]:
    return [
        trend_chart(
            "volumes",
            "Entrées, sorties et file active par année, France",
            "Évolution nationale des entrées, des sorties et de la file active, par année.",
            _national_trend(figures, VOLUMES, years),
            [label(i) for i in VOLUMES],
            first="Année",
            series_title="Indicateur",
        ),
        trend_chart(
            "taux",
            "Principaux taux par année, France",
            "Évolution nationale des taux d'occupation, de sortie en emploi ou en formation, de "
            "retour en détention ordinaire et de libération sous aménagement de peine.",
            _national_trend(figures, RATES, years),
            [label(i) for i in RATES],
            first="Année",
            series_title="Indicateur",
            percent=True,
        ),
    ]


def _rates_table(
    dataset: PackDataset, figures: Figures, grain: tuple[str, str, str, str]
) -> tuple[str, Table]:
    """The data of a grain's ranked dot plots, in one table: each zone's rates of the year."""
    maille, plural, _, heading = grain
    zones = [(maille, code, name) for code, name, _ in _zones(dataset, maille)]
    table = Table(
        [heading, *(label(i) for i in RATES)],
        zone_rows(figures, zones, dataset.period, RATES),
    )
    return f"Taux des {plural}, {dataset.period} (graphiques classés)", table


def _site_table(dataset: PackDataset, figures: Figures) -> Table:
    """Every site of the year, grouped by department with the department's total."""
    zones: list[tuple[str, str, str]] = []
    for code, name, _ in _zones(dataset, DEPARTMENT):
        zones += [("site", s, n) for s, n, dep in _zones(dataset, "site") if dep == code]
        zones.append((DEPARTMENT, code, f"Total {name} ({code})"))
    return Table(
        ["Site", *(label(i) for i in SITE_COLUMNS)],
        zone_rows(figures, zones, dataset.period, SITE_COLUMNS),
    )


def _partition_table(dataset: PackDataset, figures: Figures, maille: str, first: str) -> Table:
    """Each zone of a partition of the nation (DISP, region, type of SIAE or prison), then France."""
    zones = [(maille, code, name) for code, name, _ in _zones(dataset, maille)]
    zones.append((NATIONAL, "FR", "France"))
    return Table(
        [first, *(label(i) for i in SITE_COLUMNS)],
        zone_rows(figures, zones, dataset.period, SITE_COLUMNS),
    )


def _yearly_table(figures: Figures, indicators: tuple[str, ...], years: list[str]) -> Table:
    """National figures of the latest years, the report's year first."""
    shown = list(reversed(years[-YEARS_SHOWN:]))
    columns = [(NATIONAL, "FR", y) for y in shown]
    return Table(["Indicateur", *shown], indicator_rows(figures, indicators, columns))


def context(dataset: PackDataset) -> dict[str, object]:
    """Everything the national template reads."""
    figures = Figures(dataset.figures)
    national = dataset.figures.filter(pl.col("maille") == NATIONAL)
    years = sorted(national["periode"].unique().to_list())
    previous = str(int(dataset.period) - 1)
    columns = [(NATIONAL, "FR", y) for y in (dataset.period, previous)]
    comparisons = [
        {"libelle": label(i), "panneaux": [_panel(dataset, figures, i, g) for g in GRAINS]}
        for i in RATES
    ]
    panels = [p.graphique for c in comparisons for p in c["panneaux"]]
    trends = _trends(figures, years)
    return {
        "pack": dataset,
        "titre": f"Rapport national {dataset.period}",
        "periode": f"l'année {dataset.period}",
        "chiffres_cles": Table(
            ["Indicateur", dataset.period, previous],
            indicator_rows(figures, (*KEY_FIGURES, *RETURNS, *STAFF), columns),
        ),
        "profil": Table(
            ["Indicateur", dataset.period, previous], indicator_rows(figures, PROFILE, columns)
        ),
        "comparaisons": comparisons,
        "themes": [
            (load_catalog().themes[theme], _yearly_table(figures, of_theme(theme), years))
            for theme in ("sorties", "liberations", "amenagements", "formation", "suivi")
        ],
        "reincarceration": _yearly_table(figures, of_theme("reincarceration"), years),
        "deploiement": _yearly_table(figures, DEPLOYMENT, years),
        "partitions": [
            (title, _partition_table(dataset, figures, maille, first))
            for maille, title, first in PARTITIONS
        ],
        "sites": _site_table(dataset, figures),
        "graphiques": {c.id: c for c in [*trends, *panels]},
        "tableaux_graphiques": [
            *((c.titre, c.donnees) for c in trends),
            *(_rates_table(dataset, figures, g) for g in GRAINS),
        ],
        **annex_context(dataset),
    }
