"""The published figures: the warehouse's indicators after statistical confidentiality.

One long frame, protected in one pass for every zone and period, so that a figure hidden in one
publication (a department's pack) is hidden in every other (the national report, the
dashboard): protecting each output on its own would let a reader recover a cell by comparing
two of them. It is the shape a table of frozen published figures takes.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.settings import Thresholds
from pipelines.warehouse.connection import transaction, write_table
from reports import formatting
from reports.confidentiality import COUNT, OTHER, Protected, protect
from reports.packs.queries import query

KEY = ["maille", "code_zone", "periode", "indicateur"]
COLUMNS = [
    "maille",
    "code_zone",
    "libelle_zone",
    "code_departement",
    "code_disp",
    "type_periode",
    "periode",
    "indicateur",
    "unite",
    "numerateur",
    "denominateur",
    "valeur",
    "texte",
    "supprime",
    "statut",
]


def _text(frame: pl.DataFrame) -> pl.Series:
    rows = zip(frame["valeur"], frame["unite"], frame["texte_masque"], strict=True)
    return pl.Series(
        "texte",
        [masked or formatting.figure(value, unit) for value, unit, masked in rows],
        pl.String,
    )


def protect_figures(con: duckdb.DuckDBPyConnection, thresholds: Thresholds) -> Protected:
    """Every indicator of every zone, semesters and years, protected in one pass over every
    relation (a year and its semesters, a department and its sites, a share and its counts...).

    Figures: see COLUMNS. A hidden figure has null `valeur`, `numerateur` and `denominateur`;
    `texte` says « secret », « effectif insuffisant », « livraison manquante »... A rate's or
    median's numerator and denominator are left out even when shown: publications print only
    the value.
    """
    protected = protect(query(con, "figures"), query(con, "relations_additives"), KEY, thresholds)
    figures = protected.figures
    own_value = pl.col("nature").is_in([COUNT, OTHER])
    shown = figures.with_columns(
        _text(figures),
        pl.when(own_value).then(pl.col("numerateur")).alias("numerateur"),
        pl.when(own_value).then(pl.col("denominateur")).alias("denominateur"),
    ).select(COLUMNS)
    return Protected(shown, protected.cells)


def write_published_figures(con: duckdb.DuckDBPyConnection, thresholds: Thresholds) -> Protected:
    """Protect, then store in one transaction what every publication prints
    (`chiffres_diffuses`) and what the audit reads (`cellules_secret`)."""
    protected = protect_figures(con, thresholds)
    with transaction(con):
        write_table(con, "chiffres_diffuses", protected.figures)
        write_table(con, "cellules_secret", protected.cells)
    return protected


def published_figures(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The protected figures every publication prints (written by `write_published_figures`)."""
    return query(con, "chiffres_diffuses")
