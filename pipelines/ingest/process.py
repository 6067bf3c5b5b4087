"""Ingest a set of inbox files: plan, read, validate, land — in one transaction.

Rejected files are registered with their reason and cost nothing else; a rejected re-submission
leaves the delivery in force untouched. Export types are handled in dependency order (`suivi` is
checked against the `parcours` landed just before, in the same transaction).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb
import polars as pl

from pipelines.codes import load_codes
from pipelines.contracts import EXPORT_TYPES, load_contract
from pipelines.ingest.inbox import NATIONAL, InboxFile
from pipelines.ingest.plan import Plan, plan
from pipelines.ingest.prepare import Delivery, ReadFile, SiteWindow, prepare_batch, read_delivery
from pipelines.messages import ERROR, WARNING, FileRejected, Finding, file_finding, reject
from pipelines.stages import stage
from pipelines.validation.batch import validate_batch
from pipelines.warehouse.landing import RegisterEntry, record, replace_rows

log = logging.getLogger("iae")
PROGRESS_EVERY = 500

ACCEPTED = "acceptee"
REJECTED = "rejetee"


@dataclass(frozen=True)
class IngestContext:
    key: bytes
    sites: dict[str, SiteWindow]
    today: date
    now: datetime
    run_id: str


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
    readable: dict[str, list[ReadFile]] = defaultdict(list)
    total = len(the_plan.to_process)
    if total:
        log.info("Lecture de %d fichier(s) nouveau(x) ou renvoyé(s)…", total)
    with stage("lecture et pseudonymisation"):
        for done, delivery in enumerate(the_plan.to_process, start=1):
            if done % PROGRESS_EVERY == 0:
                log.info("  %d/%d fichiers lus", done, total)
            try:
                readable[delivery.export_type].append(_read(delivery, ctx))
            except FileRejected as rejected:
                summary.entries.append(_entry(delivery, ctx, REJECTED, rejection=rejected.finding))
    con.execute("BEGIN TRANSACTION")
    try:
        for export_type in EXPORT_TYPES:
            if readable[export_type]:
                summary.entries += _land_type(con, export_type, readable[export_type], ctx)
        record(con, summary.entries)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    if summary.entries:
        log.info(
            "%d fichier(s) accepté(s), %d refusé(s), %d ligne(s) en quarantaine.",
            summary.count(ACCEPTED),
            summary.count(REJECTED),
            summary.total("lignes_quarantaine"),
        )
    return summary


def _read(delivery: Delivery, ctx: IngestContext) -> ReadFile:
    contract = load_contract(delivery.export_type)
    national = contract.scope == NATIONAL
    if national != (delivery.site == NATIONAL):
        raise reject("nom_fichier_non_reconnu")
    window = None if national else ctx.sites.get(delivery.site)
    if not national and window is None:
        raise reject("site_inconnu", detail=delivery.site)
    return read_delivery(delivery, contract, window, ctx.today)


def _land_type(
    con: duckdb.DuckDBPyConnection, export_type: str, files: list[ReadFile], ctx: IngestContext
) -> list[RegisterEntry]:
    contract = load_contract(export_type)
    with stage("lecture et pseudonymisation"):
        batch = prepare_batch(files, contract, load_codes(), ctx.key)
    log.info(
        "Contrôle de %d lignes « %s » (contrat %s)…",
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
