"""Which inbox files need processing, given the register of what was already received.

A file already registered (same name, same content) is skipped: re-runs are idempotent. For each
(site, type, period) only the latest file received counts; a copy identical to the delivery in
force is a duplicate and changes nothing; an older file never replaces a newer one. A file held
for confirmation is registered, so it is not read again until it is re-sent under another name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from pipelines.ingest.inbox import InboxFile, parse_name
from pipelines.ingest.prepare import Delivery

SUPERSEDED = "remplacee"
DUPLICATE = "doublon"


@dataclass(frozen=True)
class Skipped:
    """A new file that is registered but not processed (superseded or duplicate)."""

    delivery: Delivery
    status: str


Key = tuple[str, str, str]  # (site, export type, period)


@dataclass
class Plan:
    to_process: list[Delivery] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unnamed: list[tuple[InboxFile, str]] = field(default_factory=list)
    rows_in_force: dict[Key, int] = field(
        default_factory=dict
    )  # keys re-sent, rows of the delivery in force


@dataclass(frozen=True)
class _Active:
    sha256: str
    received_at: datetime
    rows: int


def _register(
    con: duckdb.DuckDBPyConnection,
) -> tuple[set[tuple[str, str]], dict[Key, _Active]]:
    seen = {(f, s) for f, s in con.sql("SELECT fichier, sha256 FROM livraisons").fetchall()}
    active = {
        (site, kind, period): _Active(sha, received, rows or 0)
        for site, kind, period, sha, received, rows in con.sql(
            "SELECT code_site, type_export, periode, sha256, date_reception, lignes_acceptees "
            "FROM livraisons WHERE active"
        ).fetchall()
    }
    return seen, active


def plan(con: duckdb.DuckDBPyConnection, files: list[InboxFile]) -> Plan:
    seen, active = _register(con)
    result = Plan()
    latest: dict[Key, Delivery] = {}
    for file in files:
        sha = file.sha256()
        if (file.name, sha) in seen:
            continue
        name = parse_name(file.name)
        if name is None:
            result.unnamed.append((file, sha))
            continue
        delivery = Delivery(file, sha, name.site, name.export_type, name.period)
        key = (name.site, name.export_type, name.period)
        previous = latest.get(key)
        if previous is not None and previous.sha256 == sha:
            result.skipped.append(Skipped(delivery, DUPLICATE))
            continue
        if previous is not None:
            result.skipped.append(Skipped(previous, SUPERSEDED))
        latest[key] = delivery  # files come oldest first
    for key, delivery in latest.items():
        current = active.get(key)
        if current is not None and current.sha256 == delivery.sha256:
            result.skipped.append(Skipped(delivery, DUPLICATE))
        elif current is not None and current.received_at > delivery.file.received_at:
            result.skipped.append(Skipped(delivery, SUPERSEDED))
        else:
            result.to_process.append(delivery)
            if current is not None:
                result.rows_in_force[key] = current.rows
    return result
