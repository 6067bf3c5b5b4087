"""File-level incidents: a file cut short in transfer, and files sent again (same or corrected)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from generator.defects import Defect, Ledger
from generator.formats import FileStyle
from generator.tables import Row, Table
from generator.writers import header_and_keys
from pipelines.contracts import load_contract


@dataclass(frozen=True)
class Truncation:
    table: Table
    cut_at: int  # position (in the file's column order) of the first value lost


def _open_unmeasured(row: Row) -> bool:
    return row.get("date_sortie") is None and row.get("mesure_suivi") is False


def truncate(table: Table, style: FileStyle, rng: random.Random, ledger: Ledger) -> Truncation:
    """Cut the last row just before its last required value: only that value goes missing.

    The row cut is an open pathway without a follow-up measure, moved to the end of the file, so
    the lost trailing values (all optional and empty, or optional) break no other rule.
    """
    row = rng.choice([r for r in table.rows if _open_unmeasured(r)])
    table.rows.remove(row)
    table.rows.append(row)
    contract = load_contract(table.kind)
    _, keys = header_and_keys(contract, style)
    cut_at = max(keys.index(name) for name in contract.required_columns)
    column = keys[cut_at]
    ledger.touched.add(id(row))
    ledger.defects.append(
        Defect(
            table,
            [row],
            column,
            f"obligatoire_{column}",
            "truncated",
            f"fichier tronqué : la dernière ligne s'arrête avant « {column} » (pas de fin de ligne)",
        )
    )
    return Truncation(table, cut_at)


def can_truncate(table: Table, style: FileStyle) -> bool:
    return (
        table.kind == "parcours"
        and style.fmt == "csv"
        and any(_open_unmeasured(r) for r in table.rows)
    )


@dataclass(frozen=True)
class Resubmission:
    table: Table
    identical: bool
    arrival: datetime
    suffix: str  # " (1)" or "_v2"


def plan_resubmissions(
    candidates: list[tuple[Table, datetime]], ledger: Ledger, count: int, rng: random.Random
) -> list[Resubmission]:
    """Some files sent again later: an identical copy, or a corrected version replacing a faulty one."""
    faulty = {id(d.table) for d in ledger.defects}
    truncated = {id(d.table) for d in ledger.defects if d.kind == "truncated"}
    clean = [(t, a) for t, a in candidates if id(t) not in faulty and t.rows]
    fixable = [
        (t, a)
        for t, a in candidates
        if id(t) in faulty and id(t) not in truncated and t.kind != "suivi"
    ]
    out = []
    for table, arrival in rng.sample(clean, min(count, len(clean))):
        out.append(Resubmission(table, True, arrival + timedelta(days=rng.randint(2, 40)), " (1)"))
    for table, arrival in rng.sample(fixable, min(count, len(fixable))):
        out.append(Resubmission(table, False, arrival + timedelta(days=rng.randint(5, 60)), "_v2"))
        for defect in ledger.defects:
            if defect.table is table:
                defect.superseded = True
    return out
