"""What a reader holding every publication can deduce about each hidden count.

Every pack, the national report and the dashboard print from the same protected figures, so their
union is those figures. The shown cells are constants; the relations (sql/reports/
relations_additives.sql: zones, semesters and year, breakdowns, a share's numerator and rest)
tie them to the hidden ones. For each hidden count, the smallest and largest
values consistent with everything shown are what a reader can deduce: linear programming (HiGHS)
over each group of hidden counts tied together by relations.

Every hidden count is printed « secret », which may stand for a zero (reports/
linked_suppression.py hides zeros where it matters), so a reader knows a hidden count is 0 or
more. A hidden count of 1 to threshold − 1 is protected when a reader cannot rule out that it is
threshold or more; any other printed count hidden but a zero, when a reader cannot determine it
exactly (a zero found is nobody's secret). Every solution found is a table consistent with the
publications, so it widens the interval already proven of every count it holds: joint moves (one
programme pushing every count still unproven at once, in random directions) prove most counts;
those left, within a budget, get a minimum and a maximum of their own, with the relations the
maximum rests on (the programme's duals), which linked suppression reads to choose what to hide.
Independent groups of counts are solved on every core.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import highspy
import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from reports.linked_relations import RELATION_TOLERANCE, holding, read_apart

_TOLERANCE = RELATION_TOLERANCE
# Larger than any count: an upper bound that keeps every programme bounded.
_FAR = 1e9
# Joint moves end after this many in a row prove at most this share of the counts left.
_JOINT_STALLS = 2
_JOINT_GAIN = 0.01
# Independent groups of hidden counts are solved together up to this many counts.
_BATCH = 3_000
# Counts bounded exactly per audit, beyond the joint moves (two programmes each, ≈ 20 ms on the
# demo's largest group); the rest are reported unproven.
EXACT_BUDGET = 2_000
# HiGHS's `simplex_strategy` value for the primal simplex.
_PRIMAL_SIMPLEX = 4


@dataclass(frozen=True)
class Disclosure:
    """A hidden count a reader can pin: its key, true value, deduced interval and a relation."""

    cle: tuple
    valeur: float
    minimum: float
    maximum: float
    relation: str
    # The relations bounding its interval, each with its weight in that bound (the linear
    # programme's dual): hiding a shown member of them is what can widen it.
    binding: tuple[tuple[str, float], ...] = ()


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
    upper: np.ndarray  # the most a reader knows each can be (« effectif insuffisant »)
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
    hidden = members.filter(pl.col("cache")).unique(key).sort(key)
    hidden = hidden.with_row_index("variable")
    names = members["relation"].unique().sort().to_list()
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
        upper=hidden["plafond"].fill_null(_FAR).to_numpy().astype(float)
        if "plafond" in hidden.columns
        else np.full(values.size, _FAR),
        need_up=np.where(small, threshold - values, 0.0),
        spread=marked & ~small & (values > 0),
        rows=tied["ligne"].to_numpy(),
        cols=tied["variable"].to_numpy(),
        coefs=tied["coef"].to_numpy().astype(float),
        rhs=rhs,
        names=names,
    )


def _groups(system: _System, wanted: np.ndarray) -> list[np.ndarray]:
    """Groups of hidden counts tied by relations holding a `wanted` count, small ones solved
    together (independent groups in one programme: one model instead of thousands)."""
    n, m = len(system.keys), len(system.names)
    graph = coo_matrix(
        (np.ones(system.rows.size), (system.cols, n + system.rows)), shape=(n + m, n + m)
    )
    _, labels = connected_components(graph, directed=False)
    order = np.argsort(labels[:n], kind="stable")
    cuts = np.flatnonzero(np.diff(labels[:n][order])) + 1
    groups, batch, size = [], [], 0
    for component in np.split(order, cuts):
        if not wanted[component].any():
            continue
        batch.append(component)
        size += component.size
        if size >= _BATCH:
            groups.append(np.concatenate(batch))
            batch, size = [], 0
    return [*groups, np.concatenate(batch)] if batch else groups


def _model(system: _System, variables: np.ndarray) -> tuple[highspy.Highs, np.ndarray]:
    """The group's relations over its hidden counts, each count between 0 (« secret » may be
    a zero) and what a reader knows of its maximum (else a bound larger than any count), and
    the relation of each row; the objective is set by the caller."""
    n = variables.size
    local = np.full(len(system.keys), -1)
    local[variables] = np.arange(n)
    mask = local[system.cols] >= 0
    relation_ids, rows = np.unique(system.rows[mask], return_inverse=True)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, relation_ids.size
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = system.upper[variables]
    lp.row_lower_ = lp.row_upper_ = system.rhs[relation_ids]
    cols = local[system.cols[mask]]
    order = np.lexsort((rows, cols))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(cols[order], np.arange(n + 1))
    lp.a_matrix_.index_ = rows[order].astype(np.int32)
    lp.a_matrix_.value_ = system.coefs[mask][order].astype(float)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    # Only the objective changes between solves: the last optimum stays feasible, so the primal
    # simplex restarts from it (about 40 % faster than the dual on the demo's largest groups).
    highs.setOptionValue("simplex_strategy", _PRIMAL_SIMPLEX)
    highs.passModel(lp)
    return highs, relation_ids


def _solve(highs: highspy.Highs, costs: np.ndarray) -> np.ndarray | None:
    """The counts of a table consistent with the publications minimising `costs` · counts
    (None if HiGHS finds no optimum). A restart from the last optimum may end without one
    (status « unknown », seen on a few-site inbox), and every later restart from that state
    too, which read as counts pinned at their value: the solve is then run again afresh."""
    highs.changeColsCost(costs.size, np.arange(costs.size, dtype=np.int32), costs)
    for _ in range(2):
        highs.run()
        if highs.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            return np.asarray(highs.getSolution().col_value)
        highs.clearSolver()
    return None


@dataclass
class _Bounds:
    """The interval found so far for each count of a group, and which were bounded exactly."""

    variables: np.ndarray
    low: np.ndarray
    high: np.ndarray
    exact: np.ndarray
    highs: highspy.Highs
    relations: np.ndarray  # the system's relation of each row of `highs`
    wanted: np.ndarray  # counts to prove (the others were proven by an earlier audit)
    binding: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def widen(self, solution: np.ndarray | None) -> None:
        if solution is not None:
            np.minimum(self.low, solution, out=self.low)
            np.maximum(self.high, solution, out=self.high)

    def pending(self, system: _System) -> np.ndarray:
        certified = system.certified(self.low, self.high, self.variables)
        return np.flatnonzero(self.wanted & ~certified)


def _joint_moves(system: _System, variables: np.ndarray, wanted: np.ndarray) -> _Bounds:
    """The group's intervals after joint moves: every count still unproven pushed at once (a
    small one up, another one way or the other, at random) until moves stop proving more."""
    values = system.values[variables]
    bounds = _Bounds(
        variables,
        values.copy(),
        values.copy(),
        np.zeros(variables.size, dtype=bool),
        *_model(system, variables),
        wanted[variables],
    )
    small = system.need_up[variables] > 0
    random = np.random.default_rng(variables.size)
    stalled = 0
    while stalled < _JOINT_STALLS and (targets := bounds.pending(system)).size:
        costs = np.zeros(variables.size)
        costs[targets] = np.where(small[targets], -1.0, random.choice([-1.0, 1.0], targets.size))
        bounds.widen(_solve(bounds.highs, costs * random.uniform(0.5, 1.5, variables.size)))
        proven = targets.size - bounds.pending(system).size
        stalled = stalled + 1 if proven <= targets.size * _JOINT_GAIN else 0
    return bounds


def _exact_bounds(system: _System, bounds: _Bounds, budget: int) -> int:
    """The minimum and maximum of the counts joint moves left unproven, up to `budget` counts,
    with the relations bounding the maximum; returns how many were bounded."""
    targets = bounds.pending(system)[:budget]
    for target in targets:
        solved = True
        for sense in (1.0, -1.0):
            costs = np.zeros(bounds.variables.size)
            costs[target] = sense
            solution = _solve(bounds.highs, costs)
            bounds.widen(solution)
            solved = solved and solution is not None
        if not solved:
            continue  # not bounded: reported unproven, never pinned at a bound not found
        duals = np.asarray(bounds.highs.getSolution().row_dual)
        weighing = np.flatnonzero(np.abs(duals) > _TOLERANCE)
        bounds.binding[target] = (bounds.relations[weighing], duals[weighing])
        bounds.exact[target] = True
    return targets.size


def _binding(system: _System, bounds: _Bounds, local: int) -> tuple[tuple[str, float], ...]:
    """The relations bounding a count's maximum, the heaviest first."""
    relations, duals = bounds.binding[local]
    order = np.argsort(-np.abs(duals), kind="stable")
    return tuple((system.names[int(relations[i])], float(duals[i])) for i in order)


def _pinning_relation(
    system: _System, variable: int, binding: tuple[tuple[str, float], ...]
) -> str:
    """The relation to name to a reader: the heaviest of those bounding the count that hold it
    (its bound may rest on relations far from it), else the first holding it."""
    own = [system.names[int(r)] for r in system.rows[system.cols == variable]]
    return next((name for name, _ in binding if name in own), own[0])


def audit(
    cells: pl.DataFrame,
    relations: pl.DataFrame,
    key: list[str],
    threshold: int,
    budget: int = EXACT_BUDGET,
    only: pl.DataFrame | None = None,
) -> Audit:
    """What a reader of all the publications can deduce about the hidden counts.

    `cells`: `key`, `valeur` (the true value), `cache` (hidden from readers) and `marque` (a
    printed count shown « secret »; otherwise a count a shown figure rests on without being
    printed, such as a share's numerator, which needs no protection of its own unless small) and,
    optionally, `plafond` (the most a reader knows a count can be, null when unbounded).
    `relations`: `relation`, `key`, `total` (true for the row the others sum to). `budget`:
    programmes for counts the joint moves leave unproven; beyond it they are reported unproven
    rather than bounded. `only` (keys): audit only these hidden counts (the others were proven
    by an earlier audit, and hiding more counts only widens what a reader must allow for).
    """
    system = _system(cells, relations, key, threshold)
    wanted = np.ones(len(system.keys), dtype=bool)
    if only is not None:
        keys = pl.DataFrame(system.keys, schema=cells.select(key).schema, orient="row")
        wanted = (
            keys.join(only.select(key).with_columns(_voulu=True), on=key, how="left")["_voulu"]
            .is_not_null()
            .to_numpy()
        )
    with ThreadPoolExecutor(os.cpu_count()) as pool:
        groups = list(pool.map(lambda v: _joint_moves(system, v, wanted), _groups(system, wanted)))
    found, unproven, left = [], [], budget
    for bounds in groups:
        left -= _exact_bounds(system, bounds, left)
        variables, low, high = bounds.variables, bounds.low, bounds.high
        for local in bounds.pending(system):
            variable = variables[local]
            if not bounds.exact[local]:
                unproven.append(system.keys[variable])
                continue
            binding = _binding(system, bounds, local)
            found.append(
                Disclosure(
                    cle=system.keys[variable],
                    valeur=float(system.values[variable]),
                    minimum=float(low[local]),
                    maximum=float(high[local]),
                    relation=_pinning_relation(system, variable, binding),
                    binding=binding,
                )
            )
    return Audit(found, unproven, len(system.keys))


def given_back_alone(
    cells: pl.DataFrame, relations: pl.DataFrame, key: list[str]
) -> list[Disclosure]:
    """The hidden counts one relation the programmes do not read gives back by subtraction (its
    only hidden non-zero member): stock-flow identities and results since opening, which
    relation-by-relation suppression protects one at a time."""
    members = holding(read_apart(relations).join(cells.select(*key, "valeur", "cache"), on=key))
    exposed = members.filter(pl.col("cache") & (pl.col("valeur") != 0))
    alone = exposed.group_by("relation").len().filter(pl.col("len") == 1).select("relation")
    return [
        Disclosure(
            tuple(row[k] for k in key), row["valeur"], row["valeur"], row["valeur"], row["relation"]
        )
        for row in exposed.join(alone, on="relation").sort("relation").iter_rows(named=True)
    ]
