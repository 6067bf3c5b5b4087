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
from reports import formatting
from reports.confidentiality import COUNT, OTHER, protect
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


def published_figures(con: duckdb.DuckDBPyConnection, thresholds: Thresholds) -> pl.DataFrame:
    """Every indicator of every zone, semesters and years, protected in one pass (a year and its
    semesters are a relation: one hidden semester must not be the year minus the other).

    Columns: see COLUMNS. A hidden figure has null `valeur`, `numerateur` and `denominateur`;
    `texte` says « < 5 », « secret », « effectif insuffisant » or « pas encore mesurable ». A
    rate's or median's numerator and denominator are left out even when shown: a denominator
    may be a count hidden elsewhere, and publications print only the value.
    """
    protected = protect(query(con, "figures"), query(con, "relations_additives"), KEY, thresholds)
    own_value = pl.col("nature").is_in([COUNT, OTHER])
    return protected.with_columns(
        _text(protected),
        pl.when(own_value).then(pl.col("numerateur")).alias("numerateur"),
        pl.when(own_value).then(pl.col("denominateur")).alias("denominateur"),
    ).select(COLUMNS)
