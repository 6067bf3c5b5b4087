"""Rebuilding a damaged warehouse from the inbox (the source of truth) and the backup.

The backup gives back the register of deliveries, the figures already published with their
revisions, the figures frozen by purges, the key's fingerprint and the last purge limit; the inbox gives back the rows of every
delivery in force, read and checked again with the same key; the last purge is applied again, so
no row purged before comes back. The new file is built aside and swapped in; the damaged one is
kept beside it under another name. The chain then runs as usual to recompute the models.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import duckdb

from pipelines.errors import IaeError
from pipelines.ingest.inbox import InboxFile, scan
from pipelines.ingest.prepare import Delivery
from pipelines.ingest.pseudonymise import key_fingerprint
from pipelines.intake.deliveries import IngestContext, land, read_all
from pipelines.referentials import load_referentials, read_sites, site_windows
from pipelines.settings import Settings
from pipelines.warehouse.backup import backup_path, restore_backup
from pipelines.warehouse.connection import connect, transaction
from pipelines.warehouse.parameters import PURGE_LIMIT, parameter, verify_key
from pipelines.warehouse.retention import purge
from pipelines.warehouse.schema import ensure_schema

log = logging.getLogger("iae")


@dataclass(frozen=True)
class RebuildReport:
    damaged_copy: Path | None
    restored: dict[str, int]  # rows by table taken from the backup
    deliveries: int  # deliveries in force whose rows were landed again
    lost: list[str]  # deliveries in force the inbox could not give back


def rebuild_warehouse(settings: Settings, key: bytes, run_id: str) -> RebuildReport:
    backup = backup_path(settings.warehouse)
    if not backup.exists():
        raise IaeError(
            f"Aucune sauvegarde ({backup}) : l'entrepôt ne peut pas être reconstruit avec son "
            "historique. Déplacez l'entrepôt endommagé hors du dossier de sortie puis lancez "
            "iae run : il repartira de la boîte de dépôt, sans les chiffres déjà publiés."
        )
    fresh = settings.warehouse.with_name(f".{settings.warehouse.name}.reconstruction")
    for leftover in (fresh, Path(f"{fresh}.wal")):
        leftover.unlink(missing_ok=True)
    with connect(fresh) as con:
        ensure_schema(con)
        restored = restore_backup(con, backup)
    verify_key(fresh, key_fingerprint(key))
    with connect(fresh) as con:
        load_referentials(con, read_sites(settings.inbox))
        landed, lost = _land_in_force(con, settings, key, run_id)
        limit = parameter(con, PURGE_LIMIT)
    if limit is not None:
        purge(fresh, date.fromisoformat(limit), simulate=False, rebuild=lambda _: None)
    damaged = _set_aside(settings.warehouse)
    os.replace(fresh, settings.warehouse)
    return RebuildReport(damaged, restored, landed, lost)


def _in_force(
    con: duckdb.DuckDBPyConnection, files: list[InboxFile]
) -> tuple[list[Delivery], list[str]]:
    """The inbox files of the deliveries in force (same name, same content), and the names of
    those the inbox no longer holds."""
    by_name = {f.name: f for f in files}
    found, lost = [], []
    for name, sha, site, kind, period in con.sql(
        "SELECT fichier, sha256, code_site, type_export, periode FROM livraisons WHERE active ORDER BY fichier"
    ).fetchall():
        file = by_name.get(name)
        if file is not None and file.sha256() == sha:
            found.append(Delivery(file, sha, site, kind, period))
        else:
            lost.append(name)
    return found, lost


def _land_in_force(
    con: duckdb.DuckDBPyConnection, settings: Settings, key: bytes, run_id: str
) -> tuple[int, list[str]]:
    """Land again the rows of every delivery in force; one that cannot be (gone from the inbox,
    refused now) is no longer in force, so its figures read as a missing delivery, not as zero."""
    deliveries, lost = _in_force(con, scan(settings.inbox))
    ctx = IngestContext(
        key=key,
        sites=site_windows(con),
        today=settings.today,
        now=datetime.now(),
        run_id=run_id,
        safeguards=replace(settings.safeguards, settle_seconds=0.0),
    )
    readable, refused = read_all(deliveries, ctx, {})
    lost += [entry.fichier for entry in refused]
    with transaction(con):
        landed = land(con, readable, ctx)
        for name in lost:
            con.execute("UPDATE livraisons SET active = false WHERE active AND fichier = ?", [name])
    for name in lost:
        log.warning(
            "Livraison en vigueur que la boîte de dépôt ne redonne pas : %s. Ses chiffres "
            "manqueront jusqu'à un nouvel envoi du site.",
            name,
        )
    return len(landed), lost


def _set_aside(warehouse: Path) -> Path | None:
    """Keep the damaged file (and its journal) under a dated name, for whoever investigates."""
    if not warehouse.exists():
        return None
    kept = warehouse.with_name(f"{warehouse.stem}.endommage-{datetime.now():%Y%m%d-%H%M%S}.duckdb")
    os.replace(warehouse, kept)
    journal = Path(f"{warehouse}.wal")
    if journal.exists():
        os.replace(journal, Path(f"{kept}.wal"))
    return kept
