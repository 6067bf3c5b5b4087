"""What a reader holding every publication can deduce about each hidden count.

Every pack, the national report and the dashboard print from the same protected figures, so their
union is those figures. The shown cells are constants; the relations (sql/reports/
relations_additives.sql: zones, semesters and year, breakdowns, a share's numerator and rest)
tie them to the hidden ones. For each hidden count, the smallest and largest
values consistent with everything shown are what a reader can deduce: linear programming (HiGHS)
over each group of hidden counts tied together by relations.

Every hidden count is printed « secret » and zeros are printed, so a reader knows a hidden count is
at least 1. A hidden count of 1 to threshold − 1 is protected when a reader cannot rule out that it
is threshold or more; any other printed count hidden, when a reader cannot determine it exactly.
Every solution found is a table consistent with the publications, so it widens the interval
already proven of every count it holds: joint moves (one programme lifting every count it can)
prove most counts, and only those left get a minimum and a maximum of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from reports.linked_relations import RELATION_TOLERANCE, holding

_TOLERANCE = RELATION_TOLERANCE
# Larger than any count: an upper bound that keeps every programme bounded.
_FAR = 1e9
# Joint moves tried before bounding counts one by one: up, down, up.
_JOINT_ROUNDS = (1.0, -1.0, 1.0)
# Counts are bounded one by one only in groups up to this size (a programme of a few
# milliseconds); in larger groups, those the joint moves leave are reported unproven.
_EXACT_GROUP = 2_000


@dataclass(frozen=True)
class Disclosure:
    """A hidden count a reader can pin: its key, true value, deduced interval and a relation."""

    cle: tuple
    valeur: float
    minimum: float
    maximum: float
    relation: str


@dataclass(frozen=True)
class Audit:
    """The counts found pinned, and those neither proven protected nor bounded (budget spent)."""

    disclosures: list[Disclosure]
    unproven: list[tuple]
    examined: int  # hidden counts tied to a shown figure by a relation


@dataclass(frozen=True)
class _System:
    """Hidden counts (variables) and the relations among them, after the shown cells are fixed."""

    keys: list[tuple]
    values: np.ndarray
    lower: np.ndarray  # what a reader knows: 1 for a printed count hidden (zeros are printed)
    need_up: np.ndarray  # a small count: how far above its value the interval must reach
    spread: np.ndarray  # any other printed count hidden: must not be determined exactly
    rows: np.ndarray  # one entry per (relation, hidden member)
    cols: np.ndarray
    coefs: np.ndarray
    rhs: np.ndarray  # per relation: total − shown members, moved to the right-hand side
    names: list[str]

    def certified(self, low: np.ndarray, high: np.ndarray, variables: np.ndarray) -> np.ndarray:
        """Which counts the interval [low, high] found so far already protects."""
        reach = high >= self.values[variables] + self.need_up[variables] - _TOLERANCE
        return np.where(self.spread[variables], high - low >= 1 - _TOLERANCE, reach)


def _members(cells: pl.DataFrame, relations: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """Members of the relations that hold and tie a hidden count, as +1 (part) or −1 (total)."""
    members = holding(relations.join(cells, on=key))
    tying = members.group_by("relation").agg(pl.col("cache").any()).filter("cache")
    return members.join(tying.select("relation"), on="relation")


def _system(
    cells: pl.DataFrame,
    relations: pl.DataFrame,
    key: list[str],
    threshold: int,
) -> _System:
    members = _members(cells, relations, key)
    hidden = members.filter(pl.col("cache")).select(*key, "valeur", "marque").unique(key)
    hidden = hidden.with_row_index("variable")
    names = members["relation"].unique(maintain_order=True).to_list()
    index = pl.DataFrame({"relation": names}, schema={"relation": pl.String}).with_row_index(
        "ligne"
    )
    members = members.join(index, on="relation")
    shown = members.filter(~pl.col("cache"))
    rhs = np.zeros(len(names))
    np.add.at(rhs, shown["ligne"].to_numpy(), -(shown["coef"] * shown["valeur"]).to_numpy())
    tied = members.filter(pl.col("cache")).join(hidden.select(*key, "variable"), on=key)
    values = hidden["valeur"].to_numpy().astype(float)
    marked = hidden["marque"].to_numpy()
    small = (values >= 1) & (values < threshold)
    return _System(
        keys=list(hidden.select(key).iter_rows()),
        values=values,
        lower=marked.astype(float),
        need_up=np.where(small, threshold - values, 0.0),
        spread=marked & ~small,
        rows=tied["ligne"].to_numpy(),
        cols=tied["variable"].to_numpy(),
        coefs=tied["coef"].to_numpy().astype(float),
        rhs=rhs,
        names=names,
    )


def _components(system: _System) -> list[np.ndarray]:
    """Groups of hidden counts tied by relations (each solved on its own)."""
    n, m = len(system.keys), len(system.names)
    graph = coo_matrix(
        (np.ones(system.rows.size), (system.cols, n + system.rows)), shape=(n + m, n + m)
    )
    _, labels = connected_components(graph, directed=False)
    order = np.argsort(labels[:n], kind="stable")
    cuts = np.flatnonzero(np.diff(labels[:n][order])) + 1
    return np.split(order, cuts)


def _model(
    system: _System, variables: np.ndarray, targets: np.ndarray, caps: np.ndarray, sense: float
) -> highspy.Highs:
    """The group's relations over its hidden counts, plus one credit per target: a credit is at
    most the target's move in `sense` and at most its cap, and the objective is their sum. With
    no targets, it is the bare system whose objective `_solve` sets count by count."""
    n, k = variables.size, targets.size
    local = np.full(len(system.keys), -1)
    local[variables] = np.arange(n)
    mask = local[system.cols] >= 0
    relation_ids, rows = np.unique(system.rows[mask], return_inverse=True)
    m = relation_ids.size
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n + k, m + k
    lp.col_cost_ = np.r_[np.zeros(n), -np.ones(k)]
    lp.col_lower_ = np.r_[system.lower[variables], np.zeros(k)]
    lp.col_upper_ = np.r_[np.full(n, _FAR), caps]
    # Credit rows: credit − sense × x ≤ −sense × value.
    lp.row_lower_ = np.r_[system.rhs[relation_ids], np.full(k, -highspy.kHighsInf)]
    lp.row_upper_ = np.r_[system.rhs[relation_ids], -sense * system.values[variables][targets]]
    cols = np.r_[local[system.cols[mask]], targets, n + np.arange(k)]
    rows = np.r_[rows, m + np.arange(k), m + np.arange(k)]
    values = np.r_[system.coefs[mask], np.full(k, -sense), np.ones(k)]
    order = np.lexsort((rows, cols))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(cols[order], np.arange(n + k + 1))
    lp.a_matrix_.index_ = rows[order].astype(np.int32)
    lp.a_matrix_.value_ = values[order].astype(float)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.passModel(lp)
    return highs


def _solve(highs: highspy.Highs, n: int) -> np.ndarray | None:
    """The counts of the optimal table (None if HiGHS finds no optimum)."""
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return np.asarray(highs.getSolution().col_value)[:n]


def _bounds(
    system: _System, variables: np.ndarray, budget: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The interval a reader can deduce for each count of the group, as far as needed to know
    whether it is protected, and which counts were bounded exactly: joint moves first, then the
    minimum and maximum of each count still unproven while `budget` (programmes) lasts."""
    low, high = system.values[variables].copy(), system.values[variables].copy()
    exact = np.zeros(variables.size, dtype=bool)

    def widen(solution: np.ndarray | None) -> None:
        if solution is not None:
            np.minimum(low, solution, out=low)
            np.maximum(high, solution, out=high)

    def pending() -> np.ndarray:
        return np.flatnonzero(~system.certified(low, high, variables))

    for sense in _JOINT_ROUNDS:
        targets = pending()
        if targets.size == 0:
            return low, high, exact
        caps = np.where(system.spread[variables], 1.0, system.need_up[variables])[targets]
        widen(_solve(_model(system, variables, targets, caps, sense), variables.size))
    targets = pending()
    if targets.size and budget[0] > 0 and variables.size <= _EXACT_GROUP:
        highs = _model(system, variables, np.array([], dtype=int), np.array([]), 1.0)
        for target in targets[: budget[0]]:
            for sense in (1.0, -1.0):
                highs.changeColCost(int(target), sense)
                widen(_solve(highs, variables.size))
            highs.changeColCost(int(target), 0.0)
            exact[target] = True
        budget[0] -= min(targets.size, budget[0])
    return low, high, exact


def _pinning_relation(system: _System, variable: int) -> str:
    return system.names[int(system.rows[np.flatnonzero(system.cols == variable)[0]])]


def audit(
    cells: pl.DataFrame,
    relations: pl.DataFrame,
    key: list[str],
    threshold: int,
    budget: int = 300,
) -> Audit:
    """What a reader of all the publications can deduce about the hidden counts.

    `cells`: `key`, `valeur` (the true value), `cache` (hidden from readers) and `marque` (a
    printed count shown « secret »: at least 1; otherwise a count a shown figure rests on without
    being printed, 0 or more). `relations`: `relation`, `key`, `total` (true for the row the
    others sum to). `budget`: programmes for counts the joint moves leave unproven; beyond it they
    are reported unproven rather than bounded.
    """
    system = _system(cells, relations, key, threshold)
    found, unproven, left = [], [], [budget]
    for variables in _components(system):
        low, high, exact = _bounds(system, variables, left)
        protected = system.certified(low, high, variables)
        for local in np.flatnonzero(~protected):
            variable = variables[local]
            if not exact[local]:
                unproven.append(system.keys[variable])
                continue
            found.append(
                Disclosure(
                    cle=system.keys[variable],
                    valeur=float(system.values[variable]),
                    minimum=float(low[local]),
                    maximum=float(high[local]),
                    relation=_pinning_relation(system, variable),
                )
            )
    return Audit(found, unproven, len(system.keys))
