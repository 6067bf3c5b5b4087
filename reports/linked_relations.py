"""The additive relations a reader can use: those the true figures satisfy."""

from __future__ import annotations

import polars as pl

# Members summing to their total within this hold (counts: exact up to float rounding).
RELATION_TOLERANCE = 1e-6


def holding(members: pl.DataFrame) -> pl.DataFrame:
    """The members (with `valeur`) of the relations that hold on the true figures, each signed
    (`coef`: +1 a part, −1 the total): a relation a missing delivery breaks (a stock-flow identity
    across a gap) tells a reader nothing."""
    members = members.filter(pl.col("valeur").is_not_null()).with_columns(
        pl.when(pl.col("total")).then(-1.0).otherwise(1.0).alias("coef")
    )
    held = (
        members.group_by("relation")
        .agg(
            (pl.col("coef") * pl.col("valeur")).sum().abs().alias("_ecart"),
            pl.col("total").any().alias("_a_total"),
        )
        .filter(pl.col("_a_total") & (pl.col("_ecart") < RELATION_TOLERANCE))
        .select("relation")
    )
    return members.join(held, on="relation")


def read_together(relations: pl.DataFrame) -> pl.DataFrame:
    """The relations the linear programmes read together (the audit, the linked rounds): all but
    the stock-flow identities. These tie each period of a zone to the next, so that a zone's whole
    history becomes one programme (on the national demo the protection ran for more than fifteen
    minutes); each of them is protected on its own by relation-by-relation suppression, which
    never leaves one with a single hidden count (the audit checks it: `given_back_alone`)."""
    return (
        relations.filter(~pl.col("stock_flux")) if "stock_flux" in relations.columns else relations
    )


def read_apart(relations: pl.DataFrame) -> pl.DataFrame:
    """The relations the linear programmes leave out (`read_together`'s complement)."""
    return relations.filter(pl.col("stock_flux"))
