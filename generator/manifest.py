"""The manifest: every injected defect, missing and late delivery and re-submission, for tests.

It is written beside the inbox (never inside it): the pipeline must find the defects by itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.defects import Defect, Ledger
from generator.deliveries import Arrival
from generator.inbox_writer import InboxWriter
from generator.incidents import Resubmission
from pipelines.periods import Semester


def manifest_path_for(inbox: Path) -> Path:
    """Beside the inbox, never inside it: the pipeline must not find it."""
    return inbox.parent / f"{inbox.name}_manifeste.json"


def build_manifest(
    seed: int,
    scale: float,
    last: Semester,
    arrivals: dict[str, dict[tuple[str, str], Arrival]],
    ledger: Ledger,
    writer: InboxWriter,
    resubmissions: list[tuple[Resubmission, str]],
) -> dict[str, Any]:
    """`arrivals` by site code; `resubmissions` with the name each was written under."""
    return {
        "seed": seed,
        "scale": scale,
        "last_period": last.code,
        "sites": len(arrivals),
        "defects": [
            entry for defect in ledger.defects for entry in _defect_entries(defect, writer)
        ],
        "missing": [
            {"site": site, "type": kind, "period": period}
            for site, by_key in arrivals.items()
            for (kind, period), arrival in by_key.items()
            if arrival.when is None
        ],
        "late": writer.late,
        "resubmissions": [_resubmission_entry(r, name, writer) for r, name in resubmissions],
    }


def _defect_entries(defect: Defect, writer: InboxWriter) -> list[dict[str, Any]]:
    """One entry per line pointed at (a duplicate names both of its lines)."""
    return [
        {
            "file": writer.names[id(defect.table)],
            "line": writer.lines[id(row)],
            "column": defect.column,
            "rule": defect.rule,
            "kind": defect.kind,
            "detail": defect.detail,
            "superseded": defect.superseded,
        }
        for row in defect.rows
    ]


def _resubmission_entry(item: Resubmission, name: str, writer: InboxWriter) -> dict[str, Any]:
    table = item.table
    return {
        "file": name,
        "replaces": writer.names[id(table)],
        "site": table.site.code if table.site else None,
        "type": table.kind,
        "period": table.period.code,
        "kind": "resubmission",
        "identical": item.identical,
        "arrival": item.arrival.isoformat(),
        "detail": "copie identique renvoyée"
        if item.identical
        else "version corrigée qui remplace la précédente",
    }
