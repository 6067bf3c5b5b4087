"""Ingestion assets: referentials, each site's deliveries (one partition per site), the national extract."""

from datetime import datetime
from pathlib import Path

import dagster as dg

from pipelines.defs.checks import SITE_DELIVERIES, contract_checks, evaluation
from pipelines.defs.partitions import SITES
from pipelines.defs.resources import WAREHOUSE_POOL, SettingsParam, WarehouseResource
from pipelines.ingest.inbox import NATIONAL, InboxFile, partition_of, scan, site_of
from pipelines.ingest.pseudonymise import key_fingerprint
from pipelines.intake.deliveries import IngestContext, IngestSummary, ingest
from pipelines.referentials import load_referentials, read_sites, site_codes, site_windows
from pipelines.validation.site_checks import site_checks
from pipelines.warehouse.parameters import record_key, verify_key
from pipelines.warehouse.schema import ensure_schema


@dg.asset(group_name="ingestion", pool=WAREHOUSE_POOL)
def referentiels(settings: SettingsParam, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Geography, DISP, code lists and sites, as ref_* tables. Also the run's gate: a wrong key stops
    here, before anything is written."""
    fingerprint = key_fingerprint(settings.key())
    verify_key(Path(warehouse.path), fingerprint)
    sites = read_sites(settings.inbox)
    with warehouse.connect() as con:
        ensure_schema(con)
        record_key(con, fingerprint)
        counts = load_referentials(con, sites)
    return dg.MaterializeResult(metadata={"source_des_sites": str(sites.path), **counts})


def _ingest(
    context: dg.AssetExecutionContext,
    settings: SettingsParam,
    warehouse: WarehouseResource,
    files: list[InboxFile],
) -> IngestSummary:
    key = settings.key()
    verify_key(Path(warehouse.path), key_fingerprint(key))
    with warehouse.connect() as con:
        ctx = IngestContext(
            key=key,
            sites=site_windows(con),
            today=settings.today,
            now=datetime.now(),
            run_id=context.run_id,
            safeguards=settings.safeguards,
        )
        return ingest(con, files, ctx)


def _metadata(files: list[InboxFile], summary: IngestSummary) -> dict[str, int]:
    return {
        "fichiers_presents": len(files),
        "fichiers_traites": sum(summary.count(s) for s in ("acceptee", "rejetee", "a_confirmer")),
        "fichiers_rejetes": summary.count("rejetee"),
        "corrections_a_confirmer": summary.count("a_confirmer"),
        "doublons": summary.count("doublon"),
        "lignes_recues": summary.total("lignes_recues"),
        "lignes_acceptees": summary.total("lignes_acceptees"),
        "lignes_en_quarantaine": summary.total("lignes_quarantaine"),
    }


@dg.asset(
    key=SITE_DELIVERIES,
    group_name="ingestion",
    partitions_def=SITES,
    backfill_policy=dg.BackfillPolicy.single_run(),
    deps=[referentiels],
    pool=WAREHOUSE_POOL,
)
def livraisons_sites(
    context: dg.AssetExecutionContext, settings: SettingsParam, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Each site's exports (parcours, personnel, suivi), read, pseudonymised, checked and landed.

    One partition per site: a re-submission re-processes only its site. A multi-site run validates
    all its files as one batch.
    """
    wanted = sorted(context.partition_keys)
    files = [f for f in scan(settings.inbox) if site_of(f) in set(wanted)]
    summary = _ingest(context, settings, warehouse, files)
    with warehouse.connect() as con:
        for check in site_checks(con, wanted):
            context.log_event(evaluation(check))
    return dg.MaterializeResult(metadata=_metadata(files, summary))


@dg.asset(group_name="ingestion", deps=[referentiels], pool=WAREHOUSE_POOL)
def livraisons_nationales(
    context: dg.AssetExecutionContext, settings: SettingsParam, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """The national re-incarceration extract, and any file whose name names no site of the
    referential (refused with its reason and registered, without a partition of its own)."""
    inbox = settings.inbox
    sites = site_codes(inbox)
    files = [f for f in scan(inbox) if partition_of(f, sites) == NATIONAL]
    summary = _ingest(context, settings, warehouse, files)
    return dg.MaterializeResult(metadata=_metadata(files, summary))


defs = dg.Definitions(
    assets=[referentiels, livraisons_sites, livraisons_nationales], asset_checks=contract_checks
)
