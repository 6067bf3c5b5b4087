"""Statistical confidentiality (docs/publication.md), as pure functions on long frames of figures.

A figure frame has one row per cell an output may show, with the columns `valeur`, `denominateur`,
`mesurable` and `nature` (optionally `numerateur`, `part` and `motif_non_mesurable`):

- `effectif`: a count of people or pathways; 1 to `min_count − 1` is hidden (« secret »);
- `rapport`: a rate over people, not shown when its denominator is under `min_denominator`
  (« effectif insuffisant »); a share (`part`: its numerator is part of its denominator) is a
  figure about two counts, its numerator and the rest, and is hidden whenever either is;
- `mediane`: a median over `denominateur` observations, same rule as a rate (the median of a
  handful of people is nearly one person's value);
- anything else (ETP, occupancy, sites): shown.
A figure that is not measurable (missing delivery, window not over, missing national extract)
says why, never 0.

Every hidden count reads « secret », whether small or hidden to protect another one.

Secondary suppression works on *relations*: a total and the cells that sum to it (sites and their
department, semesters and their year, exits by reason, stocks and flows, a share's numerator and
rest and its denominator), given as a frame of members. A relation with exactly one hidden
non-zero member gives that member away (total − the others), so the smallest other non-zero cell
is hidden too (the total itself when no cell can be), until no relation has a single hidden
member. What several relations pinned together give away is what the audit
(reports/disclosure_audit.py) finds: linked suppression (reports/linked_suppression.py) hides
more counts where it cannot prove a hidden count protected. Every output must protect the same whole set of
figures in one pass: hiding a cell in one output and showing it in another would undo the
protection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.settings import Thresholds
from reports import formatting
from reports.disclosure_audit import EXACT_BUDGET, audit
from reports.linked_relations import holding, read_together
from reports.linked_suppression import counts_to_hide, counts_to_relieve, zeros_to_hide

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
# Rounds of linked suppression. The first ones hide what the audit's joint moves leave unproven
# (reports/linked_suppression.counts_to_hide), auditing everything once (≈ 15 s on the national
# demo), then only what is unproven or newly hidden (≈ 5 s each); the priced ones bound each count
# left exactly and hide what its bound rests on (counts_to_relieve, ≈ 10 s each). On the national
# demo none is left pinned (the audit check says so): a year reads its semesters
# (sql/indicators/07_regles_annee.sql) and a national exit reason or situation at release may be
# hidden as a last resort; before those two, about 377 were left, whatever the rounds. The rounds
# stop as soon as none is left: more of them cost nothing where they are not needed. When a first
# round finds nothing to hide (no relation holding an unproven count has a shown count left: a
# few sites, each alone in its department), the priced rounds follow at once. Each priced round
# may pin a few counts elsewhere (a count just hidden may itself be determined), and a count still
# pinned gets more hidden each round in a row (counts_to_relieve): at ten times the national
# volume the counts left go 259, 99, 14, 14, 6, 7, 7, 5, 5, 6, 5 and 0 at the twelfth round; at
# fifty times, since re-incarceration cohorts are tied to releases, one department's releases of
# a year stay pinned for twenty rounds while each round frees the others, and none is left at
# the twenty-seventh (≈ 1.5 s a round; twenty rounds stopped the publication); the demo needs two.
LINKED_ROUNDS = 3
PRICED_ROUNDS = 40


# One mark for every hidden count, small or hidden to protect another: « < 5 » would tell a
# reader 1 to 4, and « secret » beside it 5 or more, which pins counts a single mark leaves open.
# It may stand for a zero: zeros are printed, except where a reader who took every « secret »
# for at least 1 could pin one (reports/linked_suppression.py).
SECRET_TEXT = "secret"
# Why a figure is not measurable (indicateurs.motif_non_mesurable) → what the reader sees.
NOT_MEASURABLE_TEXTS = {
    "livraison_manquante": "livraison manquante",
    "fenetre_non_ecoulee": "pas encore mesurable",
    "extrait_manquant": "extrait national manquant",
}
# The two counts a shown share makes known, the first also for a rate that is no share (their rows
# in sql/reports/relations_additives.sql).
SHARE_SIDES = ("numerateur", "reste")
# The count a shown rate over the average of two counts makes known beside its numerator: their sum.
AVERAGE_BASE = "base"


def hidden_text(status: str, thresholds: Thresholds) -> str | None:
    """What a reader sees instead of a hidden figure (None when the figure is shown)."""
    return {
        SMALL_COUNT: SECRET_TEXT,
        SECONDARY: SECRET_TEXT,
        INSUFFICIENT: "effectif insuffisant",
        NOT_MEASURABLE: NOT_MEASURABLE_TEXTS["fenetre_non_ecoulee"],
    }.get(status)


def _small(value: pl.Expr, thresholds: Thresholds) -> pl.Expr:
    return (value >= 1) & (value < thresholds.min_count)


def _ratio_of_few(frame: pl.DataFrame, thresholds: Thresholds) -> pl.Expr:
    """A rate over people that is no share (PMSMP per exit, staff turnover) counting 1 to
    `min_count − 1` in its numerator: its value times its denominator gives that count back."""
    if not {"part", "numerateur"} <= set(frame.columns):
        return pl.lit(False)
    return (
        (pl.col("nature") == RATE)
        & ~pl.col("part").fill_null(False)
        & _small(pl.col("numerateur"), thresholds)
    )


def primary(frame: pl.DataFrame, thresholds: Thresholds) -> pl.DataFrame:
    """Add `statut`: each figure judged on its own (not measurable, small count, small
    denominator). A share whose numerator or rest is a small count is left to `protect`, which
    hides it with its counts (`with_share_sides`)."""
    nature, value, denominator = pl.col("nature"), pl.col("valeur"), pl.col("denominateur")
    small_base = denominator.is_null() | (denominator < thresholds.min_denominator)
    status = (
        pl.when(~pl.col("mesurable").fill_null(True))
        .then(pl.lit(NOT_MEASURABLE))
        .when((nature == COUNT) & _small(value, thresholds))
        .then(pl.lit(SMALL_COUNT))
        .when(_ratio_of_few(frame, thresholds))
        .then(pl.lit(SMALL_COUNT))
        .when(nature.is_in([RATE, MEDIAN]) & (small_base | value.is_null()))
        .then(pl.lit(INSUFFICIENT))
        .otherwise(pl.lit(PUBLISHED))
    )
    return frame.with_columns(status.alias("statut"))


@dataclass(frozen=True)
class _Members:
    """The members of the relations that hold, as arrays: sorted by relation, then part before
    total, smallest value, key (the order in which a relation's next count to hide is chosen).
    Values never change during a protection, only which counts are hidden: built once."""

    relation: np.ndarray  # relation number, 0.. in sorted order
    cell: np.ndarray  # index into `cells`
    nonzero: np.ndarray
    cells: pl.DataFrame  # key, `_cellule`


def _members(frame: pl.DataFrame, relations: pl.DataFrame, key: list[str]) -> _Members:
    members = holding(relations.join(frame.select(*key, "valeur"), on=key))
    cells = members.select(key).unique().sort(key).with_row_index("_cellule")
    members = members.join(cells, on=key).sort(["relation", "total", "valeur", *key])
    return _Members(
        relation=members.select(pl.col("relation").rle_id())["relation"].to_numpy(),
        cell=members["_cellule"].to_numpy(),
        nonzero=(members["valeur"] != 0).to_numpy(),
        cells=cells,
    )


def _suppress(frame: pl.DataFrame, members: _Members, key: list[str]) -> pl.DataFrame:
    """`secondary` over members already built."""
    hidden = (
        members.cells.join(
            frame.select(*key, pl.col("statut").is_in(HIDDEN_COUNTS).alias("_cache")),
            on=key,
            how="left",
        )
        .sort("_cellule")["_cache"]
        .fill_null(False)
        .to_numpy()
        .copy()
    )
    added = np.zeros(hidden.size, dtype=bool)
    while True:
        hidden_parts = np.bincount(members.relation, weights=hidden[members.cell] & members.nonzero)
        exposed = (hidden_parts == 1)[members.relation] & ~hidden[members.cell] & members.nonzero
        if not exposed.any():
            break
        rows = np.flatnonzero(exposed)
        _, first = np.unique(members.relation[rows], return_index=True)
        chosen = members.cell[rows[first]]
        hidden[chosen] = added[chosen] = True
    chosen_keys = members.cells.filter(pl.Series(added)).select(key)
    return (
        frame.join(chosen_keys.with_columns(_nouveau=True), on=key, how="left")
        .with_columns(
            pl.when(pl.col("_nouveau")).then(pl.lit(SECONDARY)).otherwise("statut").alias("statut")
        )
        .drop("_nouveau")
    )


def secondary(frame: pl.DataFrame, relations: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """Hide more counts until no relation has exactly one hidden non-zero member: in each such
    relation, the smallest other non-zero count (the total if no other count is left), all
    relations of a round at once.

    `relations` has the `key` columns of each member, `relation` (an id) and `total` (true for
    the row the others sum to); only those the figures satisfy count. `frame` must already have
    `statut` (see `primary`).
    """
    return _suppress(frame, _members(frame, relations, key), key)


def _sides(rates: pl.DataFrame, key: list[str], side: str, value: pl.Expr) -> pl.DataFrame:
    return rates.select(
        *(c for c in key if c != "indicateur"),
        (pl.col("indicateur") + f"|{side}").alias("indicateur"),
        pl.lit(COUNT).alias("nature"),
        value.alias("valeur"),
        pl.lit(None, pl.Float64).alias("denominateur"),
        pl.lit(True).alias("mesurable"),
        pl.col("statut").alias("_statut_taux"),
    )


def with_share_sides(judged: pl.DataFrame, key: list[str], thresholds: Thresholds) -> pl.DataFrame:
    """Add the counts a shown rate over people makes known beside its denominator: for each
    measurable share (its numerator is part of its denominator, `part`), its numerator and its
    rest, named `<indicateur>|numerateur` and `<indicateur>|reste`; for a rate that is no share
    (PMSMP or trainings per exit, operator turnover: it may pass 100 %, so it has no rest), its
    numerator, and for a rate over the average of two counts (`base_moyenne`: operator turnover)
    their sum, `<indicateur>|base`. A rate `primary` lets through makes them known, so each is
    judged as a count; a rate not shown leaves them unknown to readers (hidden), yet they still
    add up with the others: a department's numerator is its sites'."""
    rates = judged.filter((pl.col("nature") == RATE) & pl.col("numerateur").is_not_null())
    shares = rates.filter(pl.col("part").fill_null(False))
    averages = rates.filter(
        pl.col("base_moyenne").fill_null(False) if "base_moyenne" in rates.columns else False
    )
    numerator, rest = SHARE_SIDES
    sides = pl.concat(
        [
            _sides(rates, key, numerator, pl.col("numerateur")),
            _sides(shares, key, rest, pl.col("denominateur") - pl.col("numerateur")),
            _sides(averages, key, AVERAGE_BASE, 2 * pl.col("denominateur")),
        ]
    )
    judged_sides = primary(sides, thresholds).with_columns(
        pl.when(pl.col("_statut_taux") == PUBLISHED)
        .then("statut")
        .otherwise(pl.lit(SECONDARY))
        .alias("statut")
    )
    return pl.concat([judged, judged_sides.drop("_statut_taux")], how="diagonal_relaxed")


def is_side() -> pl.Expr:
    """A rate's numerator or a share's rest (never printed itself)."""
    return pl.col("indicateur").str.contains("|", literal=True)


def _sides_of_hidden_counts(
    judged: pl.DataFrame, relations: pl.DataFrame, key: list[str]
) -> pl.DataFrame:
    """The shares' counts a hidden count gives away: a share's numerator equal to a hidden count
    (the same measure), and both counts of a share whose denominator is hidden (the share and its
    numerator shown elsewhere would give the denominator back)."""
    tying = relations.filter(pl.col("relation").str.contains(r"\|(meme_mesure|taux_)"))
    hidden = judged.filter(pl.col("statut").is_in(HIDDEN_COUNTS) & ~is_side()).select(key)
    exposed = tying.join(hidden, on=key).select("relation").unique()
    return tying.join(exposed, on="relation").filter(is_side()).select(key).unique()


def _hide(judged: pl.DataFrame, keys: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """The figures of `keys` still published become secondary suppressions."""
    chosen = keys.select(key).unique().with_columns(_choisi=True)
    return (
        judged.join(chosen, on=key, how="left")
        .with_columns(
            pl.when(pl.col("_choisi") & (pl.col("statut") == PUBLISHED))
            .then(pl.lit(SECONDARY))
            .otherwise("statut")
            .alias("statut")
        )
        .drop("_choisi")
    )


def _secondary_with_shares(
    judged: pl.DataFrame, relations: pl.DataFrame, members: _Members, key: list[str]
) -> pl.DataFrame:
    """Secondary suppression, then the shares' counts hidden counts give away, again until
    neither hides anything more."""
    while True:
        judged = _suppress(judged, members, key)
        given = _sides_of_hidden_counts(judged, relations, key).join(
            judged.filter(pl.col("statut") == PUBLISHED).select(key), on=key
        )
        if given.is_empty():
            return judged
        judged = _hide(judged, given, key)


def _linked(
    judged: pl.DataFrame,
    relations: pl.DataFrame,
    key: list[str],
    thresholds: Thresholds,
    shares: bool,
) -> pl.DataFrame:
    """Relation-by-relation suppression, the zeros that make « secret » stand for 0 as well,
    then more counts hidden while the audit cannot prove every hidden count protected with every
    relation read together (reports/linked_suppression.py)."""

    members = _members(judged, relations, key)

    def suppress(judged: pl.DataFrame) -> pl.DataFrame:
        if shares:
            return _secondary_with_shares(judged, relations, members, key)
        return _suppress(judged, members, key)

    judged = suppress(judged)
    zeros = zeros_to_hide(
        audit_cells(judged, key, thresholds), relations, key, thresholds.min_count
    )
    judged = _hide(judged, zeros, key)
    together, changed, rounds_pinned = read_together(relations), None, {}
    budgets = [0] * LINKED_ROUNDS + [EXACT_BUDGET] * PRICED_ROUNDS
    while budgets:
        budget = budgets.pop(0)
        cells = audit_cells(judged, key, thresholds)
        found = audit(cells, together, key, thresholds.min_count, budget, changed)
        if not found.unproven and not found.disclosures:
            break
        schema = cells.select(key).schema
        unproven = pl.DataFrame(found.unproven, schema=schema, orient="row")
        pinned = pl.DataFrame([d.cle for d in found.disclosures], schema=schema, orient="row")
        rounds_pinned = {d.cle: rounds_pinned.get(d.cle, 0) + 1 for d in found.disclosures}
        chosen = pl.concat(
            [
                counts_to_hide(unproven, cells, together, key, thresholds.min_count),
                counts_to_relieve(
                    found.disclosures,
                    cells,
                    together,
                    key,
                    [rounds_pinned[d.cle] for d in found.disclosures],
                ),
            ]
        ).unique(maintain_order=True)
        pending = pl.concat([unproven, pinned])
        if chosen.is_empty() and budget == EXACT_BUDGET:
            chosen = counts_to_relieve(
                found.disclosures, cells, together, key, national_totals=True
            )
        if chosen.is_empty():
            # What no single relation blocks is bounded exactly, in the priced rounds.
            if budget == EXACT_BUDGET:
                break
            budgets, changed = [EXACT_BUDGET] * PRICED_ROUNDS, pending
            continue
        before = judged.filter(pl.col("statut").is_in(HIDDEN_COUNTS)).select(key)
        judged = suppress(_hide(judged, chosen, key))
        added = judged.filter(pl.col("statut").is_in(HIDDEN_COUNTS)).select(key)
        changed = pl.concat([pending, added.join(before, on=key, how="anti")])
    return judged


def _hide_shares_with_hidden_sides(judged: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """Shares one of whose counts ended hidden become « secret »; the counts are dropped."""
    side = is_side()
    exposed = judged.filter(side & (pl.col("statut") != PUBLISHED)).with_columns(
        pl.col("indicateur").str.split("|").list.first()
    )
    return _hide(judged.filter(~side), exposed, key)


def _hide_rates_over_hidden_counts(judged: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """Rates whose denominator is part of a hidden count (`compte_parmi`): trainings per exit and
    its numerator give back the exits whose trainings are known, nearly all exits; shown only
    where the exits are, the rate tells nothing the exits' protection has not judged."""
    zone = [c for c in key if c != "indicateur"]
    hidden_counts = judged.filter(pl.col("statut").is_in(HIDDEN_COUNTS)).select(
        *zone, pl.col("indicateur").alias("compte_parmi")
    )
    over_hidden = judged.filter(pl.col("compte_parmi").is_not_null()).join(
        hidden_counts, on=[*zone, "compte_parmi"]
    )
    return _hide(judged, over_hidden, key)


@dataclass(frozen=True)
class Protected:
    """The protected figures and the counts protection judged (figures and shares' sides:
    `key`, `valeur`, `cache`, `marque`), which the audit reads."""

    figures: pl.DataFrame
    cells: pl.DataFrame


def _under_threshold(judged: pl.DataFrame, key: list[str], thresholds: Thresholds) -> pl.DataFrame:
    """The counts a rate printed « effectif insuffisant » tells a reader are under
    `min_denominator` (`key`, `plafond`): its denominator's published count
    (`compte_denominateur`) and, for a share, its numerator and rest (a re-incarceration
    cohort has no count of its own)."""
    insufficient = pl.col("statut") == INSUFFICIENT
    zone = [c for c in key if c != "indicateur"]
    denominators = judged.filter(insufficient & pl.col("compte_denominateur").is_not_null())
    shares = judged.filter(insufficient & pl.col("part").fill_null(False))
    bounded = pl.concat(
        [
            denominators.select(*zone, pl.col("compte_denominateur").alias("indicateur")),
            *(shares.select(*zone, pl.col("indicateur") + f"|{side}") for side in SHARE_SIDES),
        ]
    )
    return (
        bounded.unique()
        .with_columns(pl.lit(float(thresholds.min_denominator - 1)).alias("plafond"))
        .select(*key, "plafond")
    )


def _insufficient_bases(
    judged: pl.DataFrame, key: list[str], thresholds: Thresholds
) -> pl.DataFrame:
    """The base of each share « effectif insuffisant » whose denominator has no count of its own
    (a re-incarceration cohort, the releases followed up): hidden, under `min_denominator`, and
    the sum of its numerator and rest (`<indicateur>|base`: sql/reports/relations_additives.sql),
    so that a reader's bound holds on the sum and not only on each side."""
    shares = judged.filter(
        (pl.col("statut") == INSUFFICIENT)
        & pl.col("part").fill_null(False)
        & pl.col("compte_denominateur").is_null()
    )
    return shares.with_columns(pl.col("indicateur") + "|base").select(
        *key,
        pl.col("denominateur").cast(pl.Float64).alias("valeur"),
        cache=pl.lit(True),
        marque=pl.lit(False),
        plafond=pl.lit(float(thresholds.min_denominator - 1)),
    )


def audit_cells(judged: pl.DataFrame, key: list[str], thresholds: Thresholds) -> pl.DataFrame:
    """The counts a reader of the publications sees or not: `cache` (hidden), `marque`
    (printed « secret » when hidden, so at least 1 since zeros are printed; a share's sides are
    never printed) and `plafond` (the most a reader knows it can be, null when nothing says:
    `_under_threshold`, for figures that name a rate's denominator count; the bases of
    `_insufficient_bases`)."""
    counts = judged.filter((pl.col("nature") == COUNT) & pl.col("valeur").is_not_null())
    printed = ~is_side() if "indicateur" in key else pl.lit(True)
    cells = counts.select(
        *key, "valeur", (pl.col("statut") != PUBLISHED).alias("cache"), printed.alias("marque")
    )
    if "compte_denominateur" not in judged.columns:
        return cells.with_columns(pl.lit(None, pl.Float64).alias("plafond"))
    bounded = cells.join(_under_threshold(judged, key, thresholds), on=key, how="left")
    return pl.concat(
        [bounded, _insufficient_bases(judged, key, thresholds)], how="vertical_relaxed"
    )


def protect(
    frame: pl.DataFrame, relations: pl.DataFrame, key: list[str], thresholds: Thresholds
) -> Protected:
    """Primary then secondary suppression, over the figures and the counts shares make known; a
    share is hidden (« secret ») when one of its counts is. Hidden figures lose their numbers.

    The figures gain `statut`, `supprime` and `texte_masque` (what is shown instead, null when
    shown); `valeur`, `numerateur` and `denominateur` are null on hidden rows, so no later step
    can print or plot them.
    """
    judged = primary(frame, thresholds)
    shares = "part" in frame.columns
    if shares:
        judged = with_share_sides(judged, key, thresholds)
    judged = _linked(judged, relations, key, thresholds, shares)
    cells = audit_cells(judged, key, thresholds)
    if shares:
        judged = _hide_shares_with_hidden_sides(judged, key).select(*frame.columns, "statut")
    if "compte_parmi" in frame.columns:
        judged = _hide_rates_over_hidden_counts(judged, key)
    hidden = pl.col("statut") != PUBLISHED
    labels = {s: hidden_text(s, thresholds) for s in (*HIDDEN_COUNTS, INSUFFICIENT, NOT_MEASURABLE)}
    text = pl.col("statut").replace_strict(labels, default=None)
    if "motif_non_mesurable" in frame.columns:
        reason = pl.col("motif_non_mesurable").replace_strict(NOT_MEASURABLE_TEXTS, default=None)
        text = pl.when(pl.col("statut") == NOT_MEASURABLE).then(reason).otherwise(text)
    figures = judged.with_columns(
        hidden.alias("supprime"),
        text.alias("texte_masque"),
        *(
            pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("valeur", "numerateur", "denominateur")
            if c in frame.columns
        ),
    )
    return Protected(figures, cells)


def small_count_hidden(column: str, thresholds: Thresholds) -> pl.Expr:
    """A count outside any relation (rows of a delivery...): null from 1 to min_count − 1."""
    value = pl.col(column)
    return pl.when(_small(value, thresholds)).then(None).otherwise(value).alias(column)


def count_text(value: int | None) -> str:
    """A count `small_count_hidden` passed through, as printed: null means hidden, with the one
    mark every hidden count has (SECRET_TEXT)."""
    return SECRET_TEXT if value is None else formatting.number(value)
