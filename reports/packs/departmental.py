"""The departmental COPIL pack's page: the semester's figures beside the previous semester, the
same semester a year earlier, the department's DISP and France; trends; exits, releases,
sentence adjustments, training, the situation after release, returns, re-incarceration, results
since the sites opened, staff; one row per site; then the annexes.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from pipelines.periods import Semester
from pipelines.referentials import department_phrases
from reports.formatting import period
from reports.packs.annexes import annex_context
from reports.packs.dataset import DEPARTMENT, DISP, NATIONAL, PackDataset
from reports.packs.views import (
    Chart,
    Figures,
    Row,
    Table,
    bar_chart,
    chart_frame,
    code_labels,
    comparison_series,
    indicator_rows,
    label,
    labelled_frame,
    of_theme,
    periods_of,
    trend_chart,
    zone_rows,
)

KEY_FIGURES = (
    "entrees",
    "sorties",
    "presents_fin",
    "file_active",
    "etp_realises",
    "taux_occupation",
    "taux_rotation_operateurs",
    "delai_orientation_entree_median",
    "duree_parcours_mediane",
    "liberations",
    "taux_amenagement",
    "sorties_emploi_formation",
    "taux_sortie_emploi_formation",
    "taux_emploi_durable",
    "taux_sorties_dynamiques",
    "taux_situation_inconnue",
    "taux_accompagnement_post_sortie",
)
TILES = ("entrees", "file_active", "taux_occupation", "taux_sortie_emploi_formation")
PROFILE = of_theme("profil")
RETURNS = ("retours_detention_ordinaire", "taux_retour_detention_ordinaire")
STAFF = ("taux_rotation_personnel", "anciennete_mediane_personnel")
VOLUMES = ("entrees", "sorties", "file_active")
SITE_COLUMNS = (
    "entrees",
    "sorties",
    "presents_fin",
    "file_active",
    "etp_realises",
    "taux_occupation",
    "liberations",
    "taux_sortie_emploi_formation",
    "retours_detention_ordinaire",
)
REINCARCERATION = ("taux_reincarceration_6m", "taux_reincarceration_12m")
COHORTS = 8


def _comparison_columns(dataset: PackDataset) -> list[tuple[str, str, str]]:
    """This semester, the previous one, the same a year earlier, then the DISP and France this
    semester."""
    now = Semester.parse(dataset.period)
    own = [now, now.previous(), Semester(now.year - 1, now.half)]
    return [(DEPARTMENT, dataset.zone, s.code) for s in own] + [
        (DISP, dataset.disp()[0], now.code),
        (NATIONAL, "FR", now.code),
    ]


def _comparison_table(dataset: PackDataset, figures: Figures, indicators: Sequence[str]) -> Table:
    columns = _comparison_columns(dataset)
    semester = period(dataset.period)
    headers = [period(p) for _, _, p in columns[:3]]
    headers += [f"{dataset.disp()[1]}, {semester}", f"France, {semester}"]
    return Table(["Indicateur", *headers], indicator_rows(figures, indicators, columns))


def _x_labels(periods: list[str]) -> list[str]:
    """Every semester's label when few, else the first semester of each year."""
    return periods if len(periods) <= 8 else [p for p in periods if p.endswith("S1")]


def _bars(dataset: PackDataset, figures: Figures, nomenclature: str, prefix: str) -> pl.DataFrame:
    """The department's counts of the semester by code (exit reason, situation at release)."""
    return labelled_frame(
        figures,
        [
            (name, (DEPARTMENT, dataset.zone, dataset.period, indicator))
            for indicator, name in code_labels(nomenclature, prefix)
        ],
    )


def _charts(dataset: PackDataset, figures: Figures) -> list[Chart]:
    """The pack's charts, in the order the template draws them (the sites' chart only where the
    department has had more than one site: with one, it repeats the occupancy chart)."""
    periods = periods_of(dataset, DEPARTMENT, dataset.zone)
    own = (DEPARTMENT, dataset.zone, dataset.label)
    both = [dataset.label, "France"]
    x_labels = _x_labels(periods)
    semester = period(dataset.period)
    within, _ = department_phrases()[dataset.zone]

    def against_france(
        key: str, indicator: str, title: str, description: str, shown: list[str], **drawing: object
    ) -> Chart:
        """A rate of the department and of France over `shown` periods."""
        series = comparison_series(figures, own, indicator, shown)
        return trend_chart(key, title, description, series, both, percent=True, **drawing)

    volumes = chart_frame(
        [
            row
            for i in VOLUMES
            for row in figures.series(DEPARTMENT, dataset.zone, i, periods, label(i))
        ]
    )
    charts = [
        trend_chart(
            "volumes",
            "Entrées, sorties et file active par semestre",
            f"Évolution des entrées, des sorties et de la file active {within}, "
            "de semestre en semestre.",
            volumes,
            [label(i) for i in VOLUMES],
            series_title="Indicateur",
            x_labels=x_labels,
        ),
        against_france(
            "occupation",
            "taux_occupation",
            "Taux d'occupation des postes",
            f"Taux d'occupation des postes {within} et en France, par semestre.",
            periods,
            x_labels=x_labels,
        ),
        _site_trends(dataset, figures, periods, x_labels),
        bar_chart(
            "motifs",
            f"Sorties par motif, {semester}",
            f"Nombre de sorties par motif {within} au {semester}.",
            _bars(dataset, figures, "motif_sortie", "sorties_"),
            "Motif de sortie",
        ),
        bar_chart(
            "situations",
            f"Libérations par situation à la sortie, {semester}",
            f"Nombre de libérations par situation à la sortie {within} au {semester}.",
            _bars(dataset, figures, "situation_sortie", "liberations_"),
            "Situation à la libération",
        ),
        against_france(
            "retours",
            "taux_retour_detention_ordinaire",
            "Taux de retour en détention ordinaire",
            f"Part des sorties par retour en détention ordinaire {within} et en "
            "France, par semestre.",
            periods,
            x_labels=x_labels,
        ),
        against_france(
            "reincarceration",
            "taux_reincarceration_12m",
            "Taux de réincarcération à 12 mois, par semestre de libération",
            f"Part des personnes libérées réincarcérées dans les 12 mois, {within} "
            "et en France, par semestre de libération (cohortes mesurables seulement).",
            periods[-COHORTS:],
            first="Semestre de libération",
        ),
    ]
    return [chart for chart in charts if chart is not None]


def _review_table(dataset: PackDataset) -> Table | None:
    """A second semester's review of the year: the key figures of the department for the year
    and the year before, beside its DISP and France for the year."""
    if dataset.review is None:
        return None
    year, before = dataset.reviewed_years()
    disp, disp_name = dataset.disp()
    columns = [
        (DEPARTMENT, dataset.zone, year),
        (DEPARTMENT, dataset.zone, before),
        (DISP, disp, year),
        (NATIONAL, "FR", year),
    ]
    headers = [year, before, f"{disp_name}, {year}", f"France, {year}"]
    rows = indicator_rows(Figures(dataset.review), KEY_FIGURES, columns)
    return Table(["Indicateur", *headers], rows)


def _site_trends(
    dataset: PackDataset, figures: Figures, periods: list[str], x_labels: list[str]
) -> Chart | None:
    """Each site's occupancy of its posts since it opened, with the national line; none for a
    department that has only ever had one site (the department's line is that site's)."""
    if dataset.figures.filter(pl.col("maille") == "site")["code_zone"].n_unique() < 2:
        return None
    sites = _sites(dataset)
    _, of = department_phrases()[dataset.zone]
    indicator = "taux_occupation"
    rows = [
        r for code, name in sites for r in figures.series("site", code, indicator, periods, name)
    ]
    rows += figures.series(NATIONAL, "FR", indicator, periods, "France")
    return trend_chart(
        "sites",
        "Taux d'occupation des postes par site",
        f"Taux d'occupation des postes de chaque site {of} et de la France, par semestre.",
        chart_frame(rows),
        [name for _, name in sites] + ["France"],
        series_title="Site",
        x_labels=x_labels,
        percent=True,
    )


def _cohort_table(dataset: PackDataset, figures: Figures) -> Table:
    """Re-incarceration at 6 and 12 months of the latest cohorts, the department and France."""
    zones = ((DEPARTMENT, dataset.zone, dataset.label), (NATIONAL, "FR", "France"))
    columns = [(m, z, i) for i in REINCARCERATION for m, z, _ in zones]
    headers = [f"{name}, {window} mois" for window in (6, 12) for _, _, name in zones]
    periods = periods_of(dataset, DEPARTMENT, dataset.zone)[-COHORTS:]
    return Table(
        ["Semestre de libération", *headers],
        [
            Row(period(p), [figures.cell(m, z, p, i) for m, z, i in columns])
            for p in reversed(periods)
        ],
    )


def _category_table(
    dataset: PackDataset, figures: Figures, nomenclature: str, prefix: str, first: str
) -> Table:
    """Counts of the semester by code, the department's and France's."""
    columns = [(DEPARTMENT, dataset.zone), (NATIONAL, "FR")]
    return Table(
        [first, dataset.label, "France"],
        [
            Row(name, [figures.cell(m, z, dataset.period, i) for m, z in columns])
            for i, name in code_labels(nomenclature, prefix)
        ],
    )


def _sites(dataset: PackDataset) -> list[tuple[str, str]]:
    """(code, name) of each site open in the semester, by name."""
    return (
        dataset.figures.filter((pl.col("maille") == "site") & (pl.col("periode") == dataset.period))
        .select("code_zone", "libelle_zone")
        .unique()
        .sort("libelle_zone")
        .rows()
    )


def _site_table(dataset: PackDataset, figures: Figures) -> Table:
    """Each site open in the semester, then the department's total."""
    zones = [("site", code, name) for code, name in _sites(dataset)]
    zones.append((DEPARTMENT, dataset.zone, f"Total {dataset.label}"))
    return Table(
        ["Site", *(label(i) for i in SITE_COLUMNS)],
        zone_rows(figures, zones, dataset.period, SITE_COLUMNS),
    )


def _missing_sites(dataset: PackDataset) -> tuple[list[str], int]:
    """The department's sites whose pathway file for the semester is not in (missing, refused or
    not yet due), and how many sites owed one: the department's figures cover the others."""
    owed = dataset.deliveries.filter(
        (pl.col("periode") == dataset.period) & (pl.col("type_export") == "parcours")
    )
    return owed.filter(~pl.col("livree"))["libelle_site"].sort().to_list(), owed.height


def context(dataset: PackDataset) -> dict[str, object]:
    """Everything the departmental template reads."""
    figures = Figures(dataset.figures)
    now, *_, france = _comparison_columns(dataset)
    drawn = _charts(dataset, figures)
    return {
        "pack": dataset,
        "titre": f"{dataset.label} ({dataset.zone})",
        "periode": period(dataset.period),
        "tuiles": [(label(i), figures.cell(*now, i), figures.cell(*france, i)) for i in TILES],
        "chiffres_cles": _comparison_table(dataset, figures, KEY_FIGURES),
        "profil": _comparison_table(dataset, figures, PROFILE),
        "retours": _comparison_table(dataset, figures, RETURNS),
        "amenagements": _comparison_table(dataset, figures, of_theme("amenagements")),
        "formation": _comparison_table(dataset, figures, of_theme("formation")),
        "suivi": _comparison_table(dataset, figures, of_theme("suivi")),
        "cumul": _comparison_table(dataset, figures, of_theme("cumul")),
        "bilan": _review_table(dataset),
        "annee_revue": dataset.reviewed_years()[0],
        "personnel": _comparison_table(dataset, figures, STAFF),
        "motifs": _category_table(dataset, figures, "motif_sortie", "sorties_", "Motif de sortie"),
        "situations": _category_table(
            dataset, figures, "situation_sortie", "liberations_", "Situation à la libération"
        ),
        "reincarceration": _cohort_table(dataset, figures),
        "sites": _site_table(dataset, figures),
        "sites_manquants": _missing_sites(dataset),
        "graphiques": {c.id: c for c in drawn},
        "tableaux_graphiques": [(c.titre, c.donnees) for c in drawn],
        **annex_context(dataset),
    }
