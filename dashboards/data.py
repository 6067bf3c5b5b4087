"""What the dashboard shows, read from the warehouse: protected figures, zones, periods, deliveries.

Figures come from `reports.packs.figures.published_figures`, the one pass of statistical
confidentiality every publication shares: a figure hidden in a pack is hidden here too.
Everything else is aggregated in DuckDB (sql/dashboard) before it reaches Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from dashboards import views
from pipelines.settings import Thresholds
from pipelines.warehouse.sql_files import select
from reports.packs.figures import published_figures

FIGURE_COLUMNS = ["code_zone", "periode", "indicateur", "valeur", "statut", "texte"]


@dataclass(frozen=True)
class Reference:
    """How far the data goes, stated on the page."""

    first_period: str
    last_period: str
    data_until: date
    reincarcerations_until: date | None
    last_delivery: date | None


@dataclass(frozen=True)
class DashboardData:
    figures: pl.DataFrame  # FIGURE_COLUMNS + effectif; hidden figures have a null valeur
    zones: pl.DataFrame
    periods: pl.DataFrame
    deliveries: pl.DataFrame
    reference: Reference


def _query(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    return select(con, "dashboard", name)


def _embedded(figures: pl.DataFrame) -> pl.DataFrame:
    """The main indicators at every grain, the comparison ones above the sites only."""
    main = pl.col("indicateur").is_in(views.MAIN)
    compared = pl.col("indicateur").is_in(views.COMPARISON) & (pl.col("maille") != "site")
    return figures.filter(main | compared)


def _with_base(figures: pl.DataFrame) -> pl.DataFrame:
    """`effectif`: the published count a shown rate rests on (views.BASES), null if it is hidden.

    Taken from the protected counts, never from the rate's raw denominator, which may be a count
    hidden elsewhere (the shared figures leave denominators out for that reason).
    """
    bases = pl.DataFrame(
        {"indicateur": list(views.BASES), "base": list(views.BASES.values())},
        schema={"indicateur": pl.String, "base": pl.String},
    )
    counts = figures.select(
        "maille",
        "code_zone",
        "periode",
        pl.col("indicateur").alias("base"),
        pl.col("valeur").alias("effectif"),
    )
    return (
        figures.join(bases, on="indicateur", how="left")
        .join(counts, on=["maille", "code_zone", "periode", "base"], how="left")
        .with_columns(pl.when(~pl.col("supprime")).then(pl.col("effectif")).alias("effectif"))
    )


def protected_figures(con: duckdb.DuckDBPyConnection, thresholds: Thresholds) -> pl.DataFrame:
    """Every figure the page embeds, semesters and years, after statistical confidentiality."""
    return _with_base(published_figures(con)).pipe(_embedded).select(*FIGURE_COLUMNS, "effectif")


def _reference(con: duckdb.DuckDBPyConnection) -> Reference:
    row = _query(con, "reference").row(0, named=True)
    return Reference(
        first_period=row["premiere_periode"],
        last_period=row["derniere_periode"],
        data_until=row["date_reference_donnees"],
        reincarcerations_until=row["date_reference_reincarcerations"],
        last_delivery=row["derniere_reception"],
    )


def read_dashboard_data(con: duckdb.DuckDBPyConnection, thresholds: Thresholds) -> DashboardData:
    return DashboardData(
        figures=protected_figures(con, thresholds),
        zones=_query(con, "zones"),
        periods=_query(con, "periodes"),
        deliveries=_query(con, "livraisons"),
        reference=_reference(con),
    )
