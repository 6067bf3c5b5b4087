"""Known defects, injected at a small rate into clean exports, each recorded for the manifest.

This module holds the machinery (what a defect is, how rows are picked, how a clean version is
rebuilt) and the generic ways to spoil a cell; `defect_catalog` says which defects each export gets.
Rows about a person under a follow-up measure are never touched: losing them would turn that
person's follow-up rows into false privacy alerts.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from generator.formats import FileStyle, Raw, invalid_date
from generator.population import SiteHistory
from generator.tables import Row, Table

ROW_RATES = {"parcours": 0.006, "personnel": 0.004, "suivi": 0.004}


@dataclass
class Defect:
    """One injected defect; `rows` are the row objects it points at (two for a duplicate)."""

    table: Table
    rows: list[Row]
    column: str | None
    rule: str
    kind: str
    detail: str
    superseded: bool = False


@dataclass
class Context:
    table: Table
    style: FileStyle
    rng: random.Random
    history: SiteHistory
    previous: Table | None
    following: Table | None
    touched: set[int]


@dataclass
class Ledger:
    """What was changed, so that a clean version of any table can be rebuilt (re-submissions)."""

    defects: list[Defect] = field(default_factory=list)
    originals: dict[int, Row] = field(default_factory=dict)
    added: set[int] = field(default_factory=set)
    touched: set[int] = field(default_factory=set)
    used: Counter[str] = field(default_factory=Counter)

    def clean_rows(self, table: Table) -> list[Row]:
        return [self.originals.get(id(r), r) for r in table.rows if id(r) not in self.added]


Applies = Callable[[Row, Context], bool]
Inject = Callable[[Row, Context], tuple[str, list[Row]]]


@dataclass(frozen=True)
class Spec:
    rule: str
    column: str
    kind: str
    applies: Applies
    inject: Inject


def always(row: Row, ctx: Context) -> bool:
    return True


def present(column: str) -> Applies:
    return lambda row, ctx: row.get(column) is not None


def blank(column: str) -> Inject:
    def inject(row: Row, ctx: Context) -> tuple[str, list[Row]]:
        row[column] = None
        return "valeur obligatoire laissée vide", [row]

    return inject


def set_to(column: str, make: Callable[[Row, Context], Any], what: str) -> Inject:
    def inject(row: Row, ctx: Context) -> tuple[str, list[Row]]:
        value = make(row, ctx)
        row[column] = value
        shown = value.text if isinstance(value, Raw) else value
        return f"{what} : « {shown} »", [row]

    return inject


def bad_date(column: str) -> Inject:
    return set_to(column, lambda row, ctx: invalid_date(row[column], ctx.style), "date impossible")


def days(ctx: Context, low: int, high: int) -> timedelta:
    return timedelta(days=ctx.rng.randint(low, max(low, high)))


def duplicate(row: Row, ctx: Context) -> tuple[str, list[Row]]:
    copy = dict(row)
    ctx.table.rows.insert(ctx.table.rows.index(row) + 1, copy)
    return "ligne recopiée deux fois", [row, copy]


def earlier_exits(column: str) -> Callable[[Context], list[Row]]:
    """Clean rows of the previous file that ended there (a site re-sending old rows)."""

    def candidates(ctx: Context) -> list[Row]:
        if ctx.previous is None:
            return []
        return [
            r
            for r in ctx.previous.rows
            if r.get(column) is not None
            and id(r) not in ctx.touched
            and r.get("mesure_suivi") is not True
            and r[column] < ctx.table.period.start
        ]

    return candidates


def append_from(pick: Callable[[Context], list[Row]], blank: tuple[str, ...], what: str) -> Inject:
    def inject(row: Row, ctx: Context) -> tuple[str, list[Row]]:
        source = ctx.rng.choice(pick(ctx))
        copy = {**source, **dict.fromkeys(blank)}
        ctx.table.rows.append(copy)
        return what, [copy]

    return inject


def has(pick: Callable[[Context], list[Row]]) -> Applies:
    return lambda row, ctx: bool(pick(ctx))


def inject_rows(ctx: Context, ledger: Ledger, specs: tuple[Spec, ...]) -> None:
    """Walk the table's rows; a few get one defect each, of a kind that fits the row.

    Among the kinds that fit, the least used so far is preferred: every kind shows up at scale 1.
    """
    table, rate = ctx.table, ROW_RATES[ctx.table.kind]
    for row in list(table.rows):
        if ctx.rng.random() >= rate or id(row) in ledger.touched:
            continue
        if row.get("mesure_suivi") is True:
            continue  # the person's follow-up rows must stay lawful
        options = [spec for spec in specs if spec.applies(row, ctx)]
        if not options:
            continue
        fewest = min(ledger.used[spec.rule] for spec in options)
        spec = ctx.rng.choice([spec for spec in options if ledger.used[spec.rule] == fewest])
        ledger.used[spec.rule] += 1
        ledger.originals[id(row)] = dict(row)
        before = {id(r) for r in table.rows}
        detail, pointed = spec.inject(row, ctx)
        ledger.added.update(id(r) for r in table.rows if id(r) not in before)
        ledger.touched.update(id(r) for r in pointed)
        ledger.touched.add(id(row))
        ledger.defects.append(Defect(table, pointed, spec.column, spec.rule, spec.kind, detail))
