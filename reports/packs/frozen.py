"""Published figures are frozen: what a pack showed stays what later packs show for that period.

Before a pack is built, each figure already published is compared with its recomputed value. The
published one is kept unless data behind it arrived after it was published: then the new value is
shown, as a revision with the old one and why, and it stays shown as a revision in the packs of
that edition (semester or year) until the next one. After publication, every figure shown is
recorded (only when its text changed).
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from pipelines.catalog import load_catalog
from reports import formatting
from reports.packs.figures import COLUMNS, KEY
from reports.packs.queries import query

REVISION_COLUMNS = [*KEY, "libelle_zone", "texte_publie", "date_publication", "texte", "revision"]
_FROZEN = [c for c in COLUMNS if c not in KEY]


def _reincarceration_indicators() -> list[str]:
    return [i.id for i in load_catalog().indicators if i.fenetre_mois is not None]


def _why(frame: pl.DataFrame) -> pl.Series:
    """« livraison corrigée reçue le 12/10/2026 » or « nouvel extrait des réincarcérations… »."""
    return pl.Series(
        "revision",
        [
            f"{'nouvel extrait national des réincarcérations' if extract else 'livraison corrigée'} reçu"
            f"{'' if extract else 'e'} le {formatting.day(when)}"
            for extract, when in zip(frame["_par_extrait"], frame["_depuis"], strict=True)
        ],
        pl.String,
    )


def reconcile(
    con: duckdb.DuckDBPyConnection, live: pl.DataFrame, period_type: str, edition: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The figures to publish (frozen ones kept unless corrected since) and the revisions: those
    found now, and those the packs of `edition` have already published."""
    frozen = query(con, "chiffres_figes", type_periode=period_type)
    if frozen.height == 0:
        return live, pl.DataFrame(schema={c: pl.String for c in REVISION_COLUMNS})
    corrections = query(con, "corrections")
    extract = query(con, "extrait_reincarcerations")["date_extrait"].item()
    compared = (
        live.join(
            frozen.select(
                *KEY, *(pl.col(c).alias(f"{c}_publie") for c in _FROZEN), "date_publication"
            ),
            on=KEY,
            how="left",
        )
        .join(corrections, on=["maille", "code_zone", "periode"], how="left")
        .with_columns(
            (
                pl.col("indicateur").is_in(_reincarceration_indicators())
                & pl.lit(extract).is_not_null()
            ).alias("_par_extrait")
        )
        .with_columns(
            pl.when(pl.col("_par_extrait"))
            .then(pl.max_horizontal("date_correction", pl.lit(extract)))
            .otherwise(pl.col("date_correction"))
            .alias("_depuis")
        )
    )
    published = pl.col("texte_publie").is_not_null()
    changed = published & (pl.col("texte") != pl.col("texte_publie"))
    corrected = changed & (pl.col("_depuis") > pl.col("date_publication"))
    keep_frozen = changed & ~corrected
    figures = compared.with_columns(
        pl.when(keep_frozen).then(pl.col(f"{c}_publie")).otherwise(pl.col(c)).alias(c)
        for c in _FROZEN
    )
    revised = figures.filter(corrected)
    found = revised.with_columns(_why(revised)).select(REVISION_COLUMNS)
    already = query(con, "revisions_publiees", type_periode=period_type, edition=edition)
    revisions = pl.concat([found, already.join(found, on=KEY, how="anti").select(REVISION_COLUMNS)])
    return figures.select(COLUMNS), revisions


def freeze(
    con: duckdb.DuckDBPyConnection,
    shown: pl.DataFrame,
    revisions: pl.DataFrame,
    run_id: str,
    published_at: datetime,
) -> int:
    """Record the figures just published whose text differs from their last published version."""
    if shown.height == 0:
        return 0
    last = pl.concat(
        query(con, "chiffres_figes", type_periode=period_type).select(
            *KEY, pl.col("texte").alias("_dernier")
        )
        for period_type in shown["type_periode"].unique().sort()
    )
    new = (
        shown.unique(KEY)
        .join(last, on=KEY, how="left")
        .filter(pl.col("_dernier").is_null() | (pl.col("_dernier") != pl.col("texte")))
        .join(revisions.select(*KEY, "revision"), on=KEY, how="left")
        .select(
            *COLUMNS,
            pl.lit(run_id).alias("run_id"),
            pl.lit(published_at).alias("date_publication"),
            "revision",
        )
    )
    if new.height:
        con.register("_figes", new)
        try:
            con.execute("INSERT INTO chiffres_publies BY NAME SELECT * FROM _figes")
        finally:
            con.unregister("_figes")
    return new.height
