"""Which more counts to hide when relation-by-relation suppression is not enough.

The audit (reports/disclosure_audit.py) names the hidden counts it cannot prove protected once
every relation is read together. For each, a relation holding it with a shown total cannot let it
move far enough when the hidden counts beside it sum to less than it needs (a small count must be
able to reach the threshold, another hidden count to move by one): one shown count of that
relation large enough to make up the difference is hidden, the cheapest first (finer zones before
coarser ones, a part before its total, the smallest value; a national figure only as a last
resort and only a category of a breakdown — an exit reason, a situation at release —, a
national total only when nothing else can protect a count, rather than stopping the publication:
the national picture stays whole but on very small sets). A count no single relation blocks is
pinned by several together: in each of its relations whose other hidden counts are all pinned
too, the cheapest shown count is hidden; failing that, the cheapest shown count of any of them.

Where the audit bounded a count exactly, the relations its bound rests on are known with their
weights (the linear programme's duals): a shown count of them whose move would widen the bound is
hidden, the cheapest four, more for a count pinned several rounds in a row (counts_to_relieve),
as a linear programme prices a new column.

« secret » may stand for a zero: where a reader who took every hidden count for at least 1 could
pin one of them, a zero beside them is hidden too (the audit reads every hidden count as 0 or
more).
"""

from __future__ import annotations

import polars as pl

from reports.disclosure_audit import Disclosure
from reports.linked_relations import RELATION_TOLERANCE, holding

# What hiding a count costs, by zone (of national figures, only categories are ever chosen).
_GRAIN_COST = {
    "site": 0,
    "departement": 1,
    "region": 2,
    "type_siae": 2,
    "type_etablissement": 2,
    "disp": 3,
    "nation": 9,
}
_TOTAL_COST = 5
# Counts hidden per pinned count in a priced round (times the rounds in a row it has been pinned):
# one often widens it too little (the count hidden is held by its own relations); with three or
# more, the priced rounds leave none pinned on the demo (with two: six, rare exit reasons the
# national breakdown holds). Without the multiplier, at fifty times the national volume two counts
# stayed pinned for seven rounds.
_RELIEVING = 4


def _members(cells: pl.DataFrame, relations: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    part = ~pl.col("total")
    members = holding(relations.join(cells, on=key))
    sums = members.group_by("relation").agg(
        pl.col("valeur").filter(part & pl.col("cache")).sum().alias("_somme_cachee"),
        (pl.col("total") & pl.col("cache")).any().alias("_total_cache"),
        (part & pl.col("cache") & (pl.col("valeur") == 0)).any().alias("_zero_cache"),
    )
    return members.join(sums, on="relation")


def _candidates(
    members: pl.DataFrame, key: list[str], zeros: bool = False, national_totals: bool = False
) -> pl.DataFrame:
    """Shown counts (non-zero unless `zeros`; national totals only if `national_totals`), with
    what hiding each costs."""
    grain = (
        pl.col("maille").replace_strict(_GRAIN_COST, default=4)
        if "maille" in members.columns
        else pl.lit(0)
    )
    cost = grain * 10 + pl.when(pl.col("total")).then(_TOTAL_COST).otherwise(0)
    national = pl.col("maille") == "nation" if "maille" in members.columns else pl.lit(False)
    category = pl.col("categorie") if "categorie" in members.columns else pl.lit(False)
    national_ok = category | pl.lit(national_totals)
    shown = ~pl.col("cache") & (~national | national_ok) & (pl.lit(zeros) | (pl.col("valeur") > 0))
    return members.filter(shown).select(
        "relation", *key, pl.col("valeur").alias("_valeur"), pl.col("total"), cost.alias("_cout")
    )


def counts_to_hide(
    pending: pl.DataFrame,
    cells: pl.DataFrame,
    relations: pl.DataFrame,
    key: list[str],
    threshold: int,
) -> pl.DataFrame:
    """The keys of the shown counts to hide so that the `pending` counts (keys) can move."""
    if pending.is_empty():
        return pending.select(key)
    waiting = pending.select(key).with_columns(_en_attente=pl.lit(True))
    members = _members(cells, relations, key).join(waiting, on=key, how="left")
    free = members.group_by("relation").agg(
        (pl.col("cache") & pl.col("_en_attente").is_null()).sum().alias("_libres")
    )
    value = pl.col("valeur")
    targets = (
        pending.join(cells.select(*key, "valeur"), on=key)
        .with_columns(
            pl.when((value >= 1) & (value < threshold))
            .then(pl.lit(threshold, pl.Float64))
            .otherwise(value + 1)
            .alias("_besoin")
        )
        .with_row_index("_cible")
    )
    ties = (
        members.join(targets.select(*key, "_cible", "_besoin"), on=key)
        .join(free, on="relation")
        .with_columns(
            (pl.col("_besoin") - pl.col("_somme_cachee")).alias("_manque"),
            (~pl.col("total") & ~pl.col("_total_cache")).alias("_bloque"),
        )
    )
    candidates = _candidates(members, key)
    blocking = ties.filter(pl.col("_bloque") & (pl.col("_manque") > 0))
    in_blocking = (
        blocking.select("_cible", "relation", "_manque")
        .join(candidates, on="relation")
        .filter(pl.col("total") | (pl.col("_valeur") >= pl.col("_manque")))
    )
    # Relations where every other hidden count is itself pinned: nothing there can give way.
    others = ties.join(blocking.select("_cible").unique(), on="_cible", how="anti")
    stuck = (
        others.filter(pl.col("_libres") == 0)
        .select("_cible", "relation")
        .join(candidates, on="relation")
    )
    unblocked = (
        others.join(stuck.select("_cible").unique(), on="_cible", how="anti")
        .select("_cible", "relation")
        .join(candidates, on="relation")
        .sort("_cible", "_cout", "_valeur", *key)
        .group_by("_cible", maintain_order=True)
        .first()
    )
    per_relation = (
        pl.concat([in_blocking.drop("_manque"), stuck])
        .sort("_cible", "relation", "_cout", "_valeur", *key)
        .group_by("_cible", "relation", maintain_order=True)
        .first()
    )
    return pl.concat([per_relation.select(key), unblocked.select(key)]).unique(maintain_order=True)


def counts_to_relieve(
    disclosures: list[Disclosure],
    cells: pl.DataFrame,
    relations: pl.DataFrame,
    key: list[str],
    rounds_pinned: list[int] | None = None,
    national_totals: bool = False,
) -> pl.DataFrame:
    """For each count the audit found pinned, the cheapest shown counts whose hiding widens its
    interval. Hidden, a shown count becomes one more unknown, now at its true value, in the
    relations bounding the pinned count; its weight there (its coefficients times the relations'
    duals, its reduced cost) says whether moving it moves that bound: either way for a count
    above zero, only upwards for a zero (« secret » is never below 0).

    `rounds_pinned`: how many priced rounds in a row each count has been found pinned; a count
    still pinned after its cheapest counts were hidden gets that many times more the next round
    (the duals are one of the ways its bound holds: another may rest on the next cheapest).
    `national_totals`: the last resort, when no other shown count can widen the bound (a few
    sites, whose national exits and releases are those of a handful of people): the cheapest
    national total is hidden rather than the publication stopped, one per pinned count."""
    if not disclosures:
        return cells.select(key).head(0)
    rounds = rounds_pinned or [1] * len(disclosures)
    weights = pl.DataFrame(
        [
            (i, name, dual, 1 if national_totals else _RELIEVING * rounds[i])
            for i, d in enumerate(disclosures)
            for name, dual in d.binding
        ],
        schema={
            "_cible": pl.UInt32,
            "relation": pl.String,
            "_dual": pl.Float64,
            "_limite": pl.Int64,
        },
        orient="row",
    )
    members = _members(cells, relations, key)
    candidates = (
        _candidates(members, key, zeros=True, national_totals=national_totals)
        .group_by(key)
        .agg(pl.col("_cout").min(), pl.col("_valeur").first())
    )
    gain = pl.col("_gain")
    return (
        weights.join(members.select("relation", *key, "coef"), on="relation")
        .group_by("_cible", *key)
        .agg(
            (pl.col("coef") * pl.col("_dual")).sum().alias("_gain"),
            pl.col("_limite").first(),
        )
        .join(candidates, on=key)
        .filter(
            (gain > RELATION_TOLERANCE) | ((pl.col("_valeur") > 0) & (gain < -RELATION_TOLERANCE))
        )
        .sort("_cible", "_cout", "_valeur", *key)
        .filter(pl.int_range(pl.len()).over("_cible") < pl.col("_limite"))
        .select(key)
        .unique(maintain_order=True)
    )


def zeros_to_hide(
    cells: pl.DataFrame, relations: pl.DataFrame, key: list[str], threshold: int
) -> pl.DataFrame:
    """One shown zero (the first by key) of each relation with a shown total whose hidden parts
    are all at least 1 and would pin one of them if a reader knew it: 6 = six « secret » says
    each is 1, unless one more « secret » may be a zero."""
    members = _members(cells, relations, key).filter(~pl.col("_total_cache"))
    part = ~pl.col("total")
    hidden = part & pl.col("cache")
    value = pl.col("valeur")
    need = pl.when(value < threshold).then(threshold).otherwise(value + 1)
    exposed = (
        members.group_by("relation")
        .agg(
            need.filter(hidden).max().alias("_besoin"),
            hidden.sum().alias("_caches"),
            pl.col("_somme_cachee").first(),
            pl.col("_zero_cache").first(),
        )
        .filter(
            ~pl.col("_zero_cache")
            & (pl.col("_somme_cachee") - (pl.col("_caches") - 1) < pl.col("_besoin"))
        )
        .select("relation")
    )
    return (
        members.join(exposed, on="relation")
        .filter(part & ~pl.col("cache") & (value == 0))
        .sort("relation", *key)
        .group_by("relation", maintain_order=True)
        .first()
        .select(key)
        .unique(maintain_order=True)
    )
