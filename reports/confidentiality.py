"""Statistical confidentiality (DOMAIN.md §7), as pure functions on long frames of figures.

A figure frame has one row per cell an output may show, with the columns `valeur`, `denominateur`,
`mesurable` and `nature`:

- `effectif`: a count of people or pathways; 1 to `min_count − 1` is shown as « < 5 »;
- `rapport`: a rate, not shown when its denominator is under `min_denominator` (« effectif
  insuffisant ») nor when its cohort is not yet measurable (never a misleading 0);
- `mediane`: a median over `denominateur` observations, same rule as a rate (the median of a
  handful of people is nearly one person's value);
- anything else (ETP): shown.

A count hidden by secondary suppression reads « secret », not « < 5 »: it may well be larger.

Secondary suppression works on *relations*: a total and the cells that sum to it (exits by
reason and their total, sites and their department...), given as a frame of members. A relation
with exactly one hidden non-zero member gives that member away (total − the others), so the
smallest other non-zero cell is hidden too (the total itself when no cell can be), until no
relation has a single hidden member. Every output must protect the same whole set of figures
in one pass: hiding a cell in one output and showing it in another would undo the protection.
"""

from __future__ import annotations

import polars as pl

from pipelines.settings import Thresholds

COUNT = "effectif"
RATE = "rapport"
MEDIAN = "mediane"
OTHER = "valeur"

PUBLISHED = "publie"
SMALL_COUNT = "secret_statistique"
SECONDARY = "secret_secondaire"
INSUFFICIENT = "effectif_insuffisant"
NOT_MEASURABLE = "non_mesurable"
HIDDEN_COUNTS = (SMALL_COUNT, SECONDARY)


def hidden_text(status: str, thresholds: Thresholds) -> str | None:
    """What a reader sees instead of a hidden figure (None when the figure is shown)."""
    return {
        SMALL_COUNT: f"< {thresholds.min_count}",
        SECONDARY: "secret",
        INSUFFICIENT: "effectif insuffisant",
        NOT_MEASURABLE: "pas encore mesurable",
    }.get(status)


def primary(frame: pl.DataFrame, thresholds: Thresholds) -> pl.DataFrame:
    """Add `statut`: each figure judged on its own (small count, small denominator, censored)."""
    nature, value, denominator = pl.col("nature"), pl.col("valeur"), pl.col("denominateur")
    small_base = denominator.is_null() | (denominator < thresholds.min_denominator)
    status = (
        pl.when((nature == COUNT) & (value >= 1) & (value < thresholds.min_count))
        .then(pl.lit(SMALL_COUNT))
        .when((nature == RATE) & ~pl.col("mesurable").fill_null(True))
        .then(pl.lit(NOT_MEASURABLE))
        .when(nature.is_in([RATE, MEDIAN]) & (small_base | value.is_null()))
        .then(pl.lit(INSUFFICIENT))
        .otherwise(pl.lit(PUBLISHED))
    )
    return frame.with_columns(status.alias("statut"))


def _exposed_members(members: pl.DataFrame) -> pl.DataFrame:
    """Members of relations with exactly one hidden non-zero member, not yet hidden."""
    hidden = pl.col("_cache") & (pl.col("valeur") != 0)
    exposed = (
        members.group_by("relation")
        .agg(hidden.sum().alias("_caches"))
        .filter(pl.col("_caches") == 1)
        .select("relation")
    )
    return members.join(exposed, on="relation").filter(~pl.col("_cache") & (pl.col("valeur") != 0))


def _next_to_hide(members: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """For each exposed relation, the smallest non-zero cell (the total if no cell is left)."""
    return (
        _exposed_members(members)
        .sort(["relation", "total", "valeur", *key])
        .group_by("relation", maintain_order=True)
        .first()
        .select(key)
        .unique()
    )


def secondary(frame: pl.DataFrame, relations: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """Hide more counts until no relation has exactly one hidden non-zero member.

    `relations` has the `key` columns of each member, `relation` (an id) and `total` (true for
    the row the others sum to). `frame` must already have `statut` (see `primary`).
    """
    members = relations.join(
        frame.select(*key, "valeur", pl.col("statut").is_in(HIDDEN_COUNTS).alias("_cache")),
        on=key,
    )
    added = frame.clear().select(key)
    while (chosen := _next_to_hide(members, key)).height:
        added = pl.concat([added, chosen])
        members = members.join(chosen.with_columns(_nouveau=True), on=key, how="left").select(
            pl.exclude("_nouveau", "_cache"),
            (pl.col("_cache") | pl.col("_nouveau").fill_null(False)).alias("_cache"),
        )
    return (
        frame.join(added.with_columns(_nouveau=True), on=key, how="left")
        .with_columns(
            pl.when(pl.col("_nouveau")).then(pl.lit(SECONDARY)).otherwise("statut").alias("statut")
        )
        .drop("_nouveau")
    )


def protect(
    frame: pl.DataFrame, relations: pl.DataFrame, key: list[str], thresholds: Thresholds
) -> pl.DataFrame:
    """Primary then secondary suppression; hidden figures lose their numbers.

    Adds `statut`, `supprime` and `texte_masque` (what is shown instead, null when shown);
    `valeur`, `numerateur` and `denominateur` are null on hidden rows, so no later step can
    print or plot them.
    """
    judged = secondary(primary(frame, thresholds), relations, key)
    hidden = pl.col("statut") != PUBLISHED
    labels = {s: hidden_text(s, thresholds) for s in (*HIDDEN_COUNTS, INSUFFICIENT, NOT_MEASURABLE)}
    return judged.with_columns(
        hidden.alias("supprime"),
        pl.col("statut").replace_strict(labels, default=None).alias("texte_masque"),
        *(
            pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("valeur", "numerateur", "denominateur")
            if c in frame.columns
        ),
    )


def small_count_hidden(column: str, thresholds: Thresholds) -> pl.Expr:
    """A count outside any relation (rows of a delivery...): null from 1 to min_count − 1."""
    value = pl.col(column)
    return (
        pl.when((value >= 1) & (value < thresholds.min_count))
        .then(None)
        .otherwise(value)
        .alias(column)
    )
