"""Secondary suppression on the whole linked system at once: which shown counts to hide so that
the hidden ones the audit cannot prove protected become protected.

One linear programme per round (HiGHS) looks for a table consistent with every relation in which
each unprotected count moves by what it needs (up to the threshold for a small count, by one for
a count that must not be exact), hidden counts moving freely and shown counts moving at a cost:
a shown count that must move to make room is hidden. The move itself proves the counts it lifts
protected; the audit (reports/disclosure_audit.py) checks the result, and rounds go on, up then
down, until it finds nothing left. Shown counts cost more to hide the coarser their zone (a
department's count before the nation's) and the larger they are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import highspy
import numpy as np
import polars as pl

from pipelines.errors import IaeError
from reports.linked_relations import holding

log = logging.getLogger("iae")

# What moving a shown count costs (per unit), by grain: a site's count is the cheapest to hide,
# the nation's the dearest (the national COPIL reads it first).
GRAIN_COST = {
    "site": 1.0,
    "departement": 2.0,
    "region": 5.0,
    "type_etablissement": 5.0,
    "type_siae": 5.0,
    "disp": 10.0,
    "nation": 100.0,
}
# Moving an unprotected count by what it needs is worth more than hiding any shown count.
_CREDIT = 1e4
_MOVED = 1e-6
_ROUNDS = 12
# The first rounds leave the figures of large zones where they are: a joint move lifting every
# small count at once would otherwise find it cheapest to shift national totals; the counts
# those rounds cannot protect get later rounds where every figure may move.
FROZEN_FIRST = ("nation",)
_FROZEN_ROUNDS = (True, True, True, True)
# Interior point then crossover: on the demo's ~100 000 counts, several times faster than the
# simplex, and still a vertex (a sparse move, hiding few counts).
_SOLVER = "ipm"


def _costs(columns: list[str]) -> pl.Expr:
    """Per unit moved: by grain (when cells have one), more for a larger count."""
    grain = (
        pl.col("maille").replace_strict(GRAIN_COST, default=max(GRAIN_COST.values()))
        if "maille" in columns
        else pl.lit(1.0)
    )
    return grain * (1.0 + pl.col("valeur").abs() / 100.0)


def _variables(
    members: pl.DataFrame, targets: pl.DataFrame, key: list[str], frozen: tuple[str, ...]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The counts that may move (every count in a relation but the zeros, which are always
    printed, and the shown counts of the `frozen` grains), numbered, and the members of every
    relation."""
    grains = frozen if "maille" in members.columns else ()
    shown_frozen = ~pl.col("cache") & pl.col("maille").is_in(grains) if grains else pl.lit(False)
    near = members.filter(pl.col("cache") | ((pl.col("valeur") != 0) & ~shown_frozen))
    movable = near.select(*key, "valeur", "cache", "marque", "maille_cout").unique(key)
    movable = movable.with_row_index("variable")
    rows = members.join(movable.select(*key, "variable"), on=key, how="left")
    return movable.join(targets, on=key, how="left"), rows


def joint_move(
    cells: pl.DataFrame,
    relations: pl.DataFrame,
    targets: pl.DataFrame,
    key: list[str],
    sense: float,
    frozen: tuple[str, ...] = (),
) -> pl.DataFrame:
    """One move of the counts, every relation still holding, by which each target moves by its
    `besoin` in `sense` as far as it can, at the least cost of shown counts moved.

    `cells`: `key`, `valeur`, `cache` and `marque` (see reports/disclosure_audit.py); `targets`:
    `key` and `besoin`. Returns `key` and `deplacement` of every count that moves: the shown ones
    among them are to be hidden, and the move then proves the targets it lifts protected.
    """
    members = holding(relations.join(cells, on=key)).with_columns(
        _costs(cells.columns).alias("maille_cout")
    )
    movable, rows = _variables(members, targets, key, frozen)
    n = movable.height
    names, row_index = np.unique(rows["relation"].to_numpy(), return_inverse=True)
    fixed = rows["variable"].is_null().to_numpy()
    rhs = np.zeros(names.size)
    np.add.at(rhs, row_index[fixed], -(rows["coef"] * rows["valeur"]).to_numpy()[fixed])
    var = rows["variable"].to_numpy()[~fixed].astype(np.int64)
    coef = rows["coef"].to_numpy()[~fixed]
    row = row_index[~fixed]
    values = movable["valeur"].to_numpy().astype(float)
    hidden = movable["cache"].to_numpy()
    lower = movable["marque"].to_numpy().astype(float)
    cost = np.where(hidden, 0.0, movable["maille_cout"].to_numpy())
    target = np.flatnonzero(movable["besoin"].is_not_null().to_numpy())
    need = movable["besoin"].to_numpy()[target]
    k, m = target.size, names.size
    # Columns: up and down moves of each count, then each target's credit.
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 2 * n + k, m + k
    lp.col_cost_ = np.r_[cost, cost, np.full(k, -_CREDIT)]
    lp.col_lower_ = np.zeros(2 * n + k)
    lp.col_upper_ = np.r_[np.full(n, highspy.kHighsInf), values - lower, need]
    # Relations: Σ coef × (up − down) = rhs − Σ coef × value; credits ≤ sense × (up − down).
    moved_rhs = rhs.copy()
    np.add.at(moved_rhs, row, -coef * values[var])
    lp.row_lower_ = np.r_[moved_rhs, np.full(k, -highspy.kHighsInf)]
    lp.row_upper_ = np.r_[moved_rhs, np.zeros(k)]
    credit_rows = m + np.arange(k)
    cols = np.r_[var, var + n, target, target + n, 2 * n + np.arange(k)]
    rws = np.r_[row, row, credit_rows, credit_rows, credit_rows]
    vals = np.r_[coef, -coef, np.full(k, -sense), np.full(k, sense), np.ones(k)]
    order = np.lexsort((rws, cols))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(cols[order], np.arange(2 * n + k + 1))
    lp.a_matrix_.index_ = rws[order].astype(np.int32)
    lp.a_matrix_.value_ = vals[order].astype(float)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("solver", _SOLVER)
    highs.passModel(lp)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise IaeError(
            "Secret statistique : le programme linéaire de protection n'a pas de solution "
            f"({highs.modelStatusToString(highs.getModelStatus())}) ; rien n'est publié. "
            "Signalez-le à l'équipe du projet avec l'identifiant de l'exécution."
        )
    solution = np.asarray(highs.getSolution().col_value)
    move = solution[:n] - solution[n : 2 * n]
    return (
        movable.select(key)
        .with_columns(deplacement=move)
        .filter(pl.col("deplacement").abs() > _MOVED)
    )


@dataclass(frozen=True)
class Protection:
    """The shown counts to hide (keys) and the moves proving every hidden count protected
    (`certificat`, `key`, `deplacement`: one row per count a move changes)."""

    hidden: pl.DataFrame
    certificates: pl.DataFrame


def needs(cells: pl.DataFrame, key: list[str], threshold: int) -> pl.DataFrame:
    """How far each hidden count must be able to move (`besoin`) and which way (`sens`: 1 up,
    0 either): a small count up to the threshold (a reader cannot tell it is small), a printed
    count hidden by one (it is not exact). Zeros and unprinted large counts need nothing."""
    value = pl.col("valeur")
    small = (value >= 1) & (value < threshold)
    return (
        cells.filter(pl.col("cache") & value.is_not_null())
        .select(
            *key,
            pl.when(small)
            .then(threshold - value)
            .when(pl.col("marque") & (value >= threshold))
            .then(1.0)
            .alias("besoin"),
            pl.when(small).then(1).otherwise(0).alias("sens"),
        )
        .filter(pl.col("besoin").is_not_null())
    )


def certified(needed: pl.DataFrame, certificates: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """The needs no certificate meets yet."""
    reach = certificates.group_by(key).agg(
        pl.col("deplacement").max().alias("_haut"), (-pl.col("deplacement")).max().alias("_bas")
    )
    done = needed.join(reach, on=key, how="left").with_columns(
        pl.col("_haut").fill_null(0.0).clip(lower_bound=0.0),
        pl.col("_bas").fill_null(0.0).clip(lower_bound=0.0),
    )
    met = (
        pl.when(pl.col("sens") == 1)
        .then(pl.col("_haut"))
        .otherwise(pl.max_horizontal("_haut", "_bas"))
        >= pl.col("besoin") - _MOVED
    )
    return done.filter(~met).drop("_haut", "_bas")


def protect_linked(
    cells: pl.DataFrame, relations: pl.DataFrame, key: list[str], threshold: int
) -> Protection:
    """Hide shown counts until every hidden count has a certificate: rounds of joint moves, up
    then down, each hiding the shown counts it moves (they are then proven by the same move)."""
    hidden = cells.clear().select(key)
    certificates = (
        cells.clear()
        .select(key)
        .with_columns(certificat=pl.lit(0, pl.Int32), deplacement=pl.lit(0.0))
    )
    # A hidden count in no relation that holds is protected by its mark alone.
    tied = holding(relations.join(cells, on=key)).select(key).unique()
    for round_ in range(_ROUNDS):
        current = (
            cells.join(hidden.with_columns(_h=True), on=key, how="left")
            .with_columns(pl.col("cache") | pl.col("_h").fill_null(False))
            .drop("_h")
        )
        targets = certified(needs(current, key, threshold), certificates, key).join(tied, on=key)
        log.info("Secret statistique : %d chiffre(s) masqué(s) à protéger.", targets.height)
        if targets.height == 0:
            return Protection(hidden, certificates.select("certificat", *key, "deplacement"))
        frozen = FROZEN_FIRST if round_ < len(_FROZEN_ROUNDS) and _FROZEN_ROUNDS[round_] else ()
        move = joint_move(
            current, relations, targets, key, 1.0 if round_ % 2 == 0 else -1.0, frozen
        )
        shown = move.join(current.filter(~pl.col("cache")).select(key), on=key)
        hidden = pl.concat([hidden, shown.select(key)])
        certificates = pl.concat(
            [certificates, move.with_columns(certificat=pl.lit(round_ + 1, pl.Int32))],
            how="diagonal_relaxed",
        )
    raise IaeError(
        "Secret statistique : la protection ne converge pas en "
        f"{_ROUNDS} tours ; rien n'est publié. Signalez-le à l'équipe du projet."
    )
