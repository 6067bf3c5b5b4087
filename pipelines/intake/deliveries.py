"""Ingest a set of inbox files: plan, read, validate, land — in one transaction.

Rejected files are registered with their reason and cost nothing else; a rejected re-submission
leaves the delivery in force untouched. So does a correction that loses a large share of the rows
in force (a file cut short in transit looks exactly like that): it is registered « à confirmer »
until the steward confirms it. Export types are handled in dependency order (`suivi` is checked
against the `parcours` landed just before, in the same transaction).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import duckdb
import polars as pl

from pipelines.codes import load_codes
from pipelines.contracts import EXPORT_TYPES, load_contract
from pipelines.ingest.inbox import NATIONAL, InboxFile, parse_name, still_arriving
from pipelines.ingest.plan import Key, Plan, plan
from pipelines.ingest.prepare import Delivery, ReadFile, SiteWindow, prepare_batch, read_delivery
from pipelines.messages import ERROR, WARNING, FileRejected, Finding, file_finding, reject
from pipelines.settings import Safeguards
from pipelines.stages import stage
from pipelines.validation.batch import validate_batch
from pipelines.warehouse.connection import transaction
from pipelines.warehouse.landing import RegisterEntry, record, replace_rows

log = logging.getLogger("iae")
PROGRESS_EVERY = 500

ACCEPTED = "acceptee"
REJECTED = "rejetee"
TO_CONFIRM = "a_confirmer"
# No settle delay unless the caller's settings ask for one (the inbox assets do; `iae check` not).
IMMEDIATE = Safeguards(settle_seconds=0.0)


@dataclass(frozen=True)
class IngestContext:
    key: bytes
    sites: dict[str, SiteWindow]
    today: date
    now: datetime
    run_id: str
    safeguards: Safeguards = IMMEDIATE


@dataclass
class IngestSummary:
    """What an ingest did, for the run's metadata and the command line."""

    entries: list[RegisterEntry] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for e in self.entries if e.statut == status)

    def total(self, attribute: str) -> int:
        return sum(getattr(e, attribute) or 0 for e in self.entries)

    @property
    def sites(self) -> list[str]:
        return sorted({e.code_site for e in self.entries if e.code_site})


def ingest(
    con: duckdb.DuckDBPyConnection, files: list[InboxFile], ctx: IngestContext
) -> IngestSummary:
    the_plan = plan(con, files)
    summary = IngestSummary(entries=_skipped_entries(the_plan, ctx))
    arriving = still_arriving([d.file for d in the_plan.to_process], ctx.safeguards.settle_seconds)
    complete = [d for d in the_plan.to_process if d.file.path not in arriving]
    readable, set_aside = read_all(complete, ctx, the_plan.rows_in_force)
    summary.entries += set_aside
    with transaction(con):
        summary.entries += land(con, readable, ctx)
        record(con, summary.entries)
    if summary.entries:
        log.info(
            "%d fichier(s) accepté(s), %d refusé(s), %d à confirmer, %d ligne(s) en quarantaine.",
            summary.count(ACCEPTED),
            summary.count(REJECTED),
            summary.count(TO_CONFIRM),
            summary.total("lignes_quarantaine"),
        )
    return summary


def read_all(
    deliveries: list[Delivery], ctx: IngestContext, rows_in_force: dict[Key, int]
) -> tuple[dict[str, list[ReadFile]], list[RegisterEntry]]:
    """Read each file: the readable ones by export type, and the register entries of the files
    refused or held for confirmation."""
    readable: dict[str, list[ReadFile]] = defaultdict(list)
    set_aside: list[RegisterEntry] = []
    total = len(deliveries)
    if total:
        log.info("Lecture de %d fichier(s) nouveau(x) ou renvoyé(s)…", total)
    with stage("lecture et pseudonymisation"):
        for done, delivery in enumerate(deliveries, start=1):
            if done % PROGRESS_EVERY == 0:
                log.info("  %d/%d fichiers lus", done, total)
            log.debug("  %s", delivery.file.name)
            try:
                read = _read(delivery, ctx)
            except FileRejected as rejected:
                set_aside.append(_entry(delivery, ctx, REJECTED, rejection=rejected.finding))
                continue
            key = (delivery.site, delivery.export_type, delivery.period)
            held = _large_drop(read, rows_in_force.get(key), ctx.safeguards)
            if held is None:
                readable[delivery.export_type].append(read)
            else:
                entry = _entry(delivery, ctx, TO_CONFIRM, rejection=held)
                set_aside.append(replace(entry, lignes_recues=read.rows_received))
    return readable, set_aside


def land(
    con: duckdb.DuckDBPyConnection, readable: dict[str, list[ReadFile]], ctx: IngestContext
) -> list[RegisterEntry]:
    """Validate and land the read files, export types in dependency order; their register entries."""
    entries: list[RegisterEntry] = []
    for export_type in EXPORT_TYPES:
        if readable.get(export_type):
            entries += _land_type(con, export_type, readable[export_type], ctx)
    return entries


def _large_drop(read: ReadFile, in_force: int | None, safeguards: Safeguards) -> Finding | None:
    """Why a correction must wait for confirmation: it loses `held_drop_percent` % or more of the
    rows in force, and its name does not say `…_confirme`."""
    name = parse_name(read.delivery.file.name)
    if not in_force or (name is not None and name.confirmed):
        return None
    received = read.rows_received
    drop = 100 * (1 - received / in_force)
    if drop < safeguards.held_drop_percent:
        return None
    detail = f"{received} ligne(s) contre {in_force} dans la livraison en vigueur (−{drop:.0f} %)"
    path = read.delivery.file.path
    return file_finding(
        "correction_a_confirmer", detail=detail, nom_confirme=f"{path.stem}_confirme{path.suffix}"
    )


def _read(delivery: Delivery, ctx: IngestContext) -> ReadFile:
    contract = load_contract(delivery.export_type)
    national = contract.scope == NATIONAL
    if national != (delivery.site == NATIONAL):
        raise reject("nom_fichier_non_reconnu")
    window = None if national else ctx.sites.get(delivery.site)
    if not national and window is None:
        raise reject("site_inconnu", detail=delivery.site)
    return read_delivery(delivery, contract, window, ctx.today, ctx.safeguards)


def _land_type(
    con: duckdb.DuckDBPyConnection, export_type: str, files: list[ReadFile], ctx: IngestContext
) -> list[RegisterEntry]:
    contract = load_contract(export_type)
    with stage("lecture et pseudonymisation"):
        batch = prepare_batch(files, contract, load_codes(), ctx.key)
    log.info(
        "Contrôle de %d ligne(s) « %s » (contrat %s)…",
        batch.frame.height,
        export_type,
        contract.version,
    )
    with stage("validation"):
        result = validate_batch(con, contract, load_codes(), batch)
    keys = [(f.delivery.site, f.delivery.period) for f in files]
    with stage("chargement"):
        replace_rows(con, contract, keys, result.accepted, result.findings, ctx.now)
    counts = _counts_by_file(result.findings)
    return [
        _entry(
            f.delivery, ctx, ACCEPTED, prepared=f, counts=counts.get(f.delivery.file.name, (0, 0))
        )
        for f in files
    ]


def _counts_by_file(findings: pl.DataFrame) -> dict[str, tuple[int, int]]:
    """File → (rows quarantined, warnings)."""
    per_file = findings.group_by("fichier").agg(
        pl.col("ligne").filter(pl.col("gravite") == ERROR).n_unique().alias("quarantaine"),
        (pl.col("gravite") == WARNING).sum().alias("avertissements"),
    )
    return {
        row["fichier"]: (row["quarantaine"], row["avertissements"])
        for row in per_file.iter_rows(named=True)
    }


def _entry(
    delivery: Delivery,
    ctx: IngestContext,
    status: str,
    *,
    prepared: ReadFile | None = None,
    counts: tuple[int, int] = (0, 0),
    rejection: Finding | None = None,
) -> RegisterEntry:
    fields: dict = {}
    if prepared is not None:
        received = prepared.rows_received
        fields = {
            "lignes_recues": received,
            "lignes_acceptees": received - counts[0],
            "lignes_quarantaine": counts[0],
            "avertissements": counts[1],
            "colonnes_supprimees": list(prepared.table.dropped_columns),
            "colonnes_absentes": list(prepared.table.missing_columns),
            "encodage": prepared.table.encoding,
            "separateur": prepared.table.delimiter,
        }
    if rejection is not None:
        fields = {
            "regle_rejet": rejection.rule,
            "motif_rejet": rejection.message,
            "correction_rejet": rejection.correction,
            "ligne_rejet": rejection.line,
            "colonne_rejet": rejection.column,
        }
    return RegisterEntry(
        sha256=delivery.sha256,
        fichier=delivery.file.name,
        code_site=delivery.site,
        type_export=delivery.export_type,
        periode=delivery.period,
        date_reception=delivery.file.received_at,
        date_ingestion=ctx.now,
        statut=status,
        active=status == ACCEPTED,
        version_contrat=load_contract(delivery.export_type).version
        if delivery.export_type
        else None,
        run_id=ctx.run_id,
        **fields,
    )


def _skipped_entries(the_plan: Plan, ctx: IngestContext) -> list[RegisterEntry]:
    entries = [_entry(s.delivery, ctx, s.status) for s in the_plan.skipped]
    unnamed = file_finding("nom_fichier_non_reconnu")
    for file, sha in the_plan.unnamed:
        entries.append(
            _entry(Delivery(file, sha, None, None, None), ctx, REJECTED, rejection=unnamed)
        )
    return entries
