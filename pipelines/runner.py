"""Running the Dagster jobs from the command line, against a persistent Dagster home.

`iae run` registers the inbox's sites as partitions, then runs the whole chain in one run over all
of them (a single-run backfill: one validation batch, not one run per site), then the jobs that
follow it in the chain's order (pipelines/defs/jobs.py): the COPIL packs, with the national
report, then the national diffusion (dashboard, analysts' copy).
The Dagster home under the output folder keeps the history the UI (`make ui`) shows.
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
from dagster._core.errors import DagsterAssetCheckFailedError
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from pipelines.dagster_home import ready_instance, run_tags
from pipelines.definitions import build_definitions
from pipelines.defs.jobs import NEXT_JOB, chaine_complete, chaine_nationale
from pipelines.defs.partitions import SITES
from pipelines.defs.publication import rapport_national
from pipelines.defs.retention import purge_mensuelle
from pipelines.defs.sensors import ONLY_CHANGED_DEPARTMENTS
from pipelines.errors import IaeError
from pipelines.ingest.inbox import NATIONAL, partition_of, scan
from pipelines.referentials import site_codes
from pipelines.settings import Settings
from pipelines.warehouse.connection import connect
from reports.packs.publish import latest_periods

log = logging.getLogger("iae")

QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


@dataclass(frozen=True)
class RunReport:
    run_id: str
    sites: int
    warehouse: Path
    outputs: Path


def register_sites(instance: dg.DagsterInstance, inbox: Path) -> list[str]:
    """Add a partition for every referential site that has a file in the inbox, and drop any
    partition that is no site (made from a misnamed file by an earlier version); returns all
    site partitions. A file naming no site is refused by the national ingest instead."""
    sites = site_codes(inbox)
    present = {s for f in scan(inbox) if (s := partition_of(f, sites)) != NATIONAL}
    known = set(instance.get_dynamic_partitions(SITES.name))
    if present - known:
        instance.add_dynamic_partitions(SITES.name, sorted(present - known))
    for stray in sorted(known - sites):
        log.info("Partition « %s » retirée : aucun site du référentiel ne porte ce code.", stray)
        instance.delete_dynamic_partition(SITES.name, stray)
    return instance.get_dynamic_partitions(SITES.name)


@contextmanager
def _noticing_interrupts() -> Iterator[None]:
    """Raise KeyboardInterrupt after the block if Ctrl-C (or SIGTERM) arrived during it.

    Inside a job Dagster takes Ctrl-C over: it stops the run at the next step, but forgets one
    that arrives after the last step, and the command would go on to the next job. Every signal is
    also written to a wakeup socket (at C level, whatever the Python handler), read afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    previous = signal.set_wakeup_fd(writer.fileno())
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous)
        try:
            received = reader.recv(1024)
        except BlockingIOError:
            received = b""
        reader.close()
        writer.close()
    if {signal.SIGINT, signal.SIGTERM} & set(received):
        raise KeyboardInterrupt


def execute(
    job: dg.JobDefinition, instance: dg.DagsterInstance, **kwargs: Any
) -> dg.ExecuteInProcessResult:
    """Run a job in this process; a blocking check that failed stops it with the check's own
    French description (which figures, what to do) rather than Dagster's English summary, and a
    warning check that failed is printed: without the UI, the command is where the operator
    reads it. Failed contract checks (not blocking) are not repeated: the ingest has already
    reported its quarantined rows."""
    run_id = str(uuid.uuid4())
    tags = {**kwargs.pop("tags", {}), **run_tags()}
    try:
        with _noticing_interrupts():
            result = job.execute_in_process(instance=instance, run_id=run_id, tags=tags, **kwargs)
    except DagsterAssetCheckFailedError as error:
        failed = [
            evaluation.description or evaluation.check_name
            for record in instance.all_logs(
                run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
            )
            if not (evaluation := record.get_dagster_event().asset_check_evaluation_data).passed
            and evaluation.blocking
        ]
        raise IaeError("\n".join(failed)) from error
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN:
            log.warning("Avertissement (%s) : %s", evaluation.check_name, evaluation.description)
    return result


def run_chain(settings: Settings, only: dg.AssetSelection | None = None) -> RunReport:
    """The chain over the inbox's sites; `only` narrows it to some of its assets (a test that
    reads the ingest and the stewards' pages needs no protected figures)."""
    instance = ready_instance(settings)
    definitions = build_definitions(settings)
    sites = register_sites(instance, settings.inbox)
    log.info("Boîte de dépôt %s : %d site(s).", settings.inbox, len(sites))
    chain, tags = chaine_complete, {}
    if sites:
        tags = {ASSET_PARTITION_RANGE_START_TAG: sites[0], ASSET_PARTITION_RANGE_END_TAG: sites[-1]}
    else:
        chain = chaine_nationale
    job = definitions.resolve_job_def(chain.name)
    if only is not None:
        graph, selection = definitions.resolve_asset_graph(), chain.selection & only
        job = job.get_subset(
            asset_selection=selection.resolve(graph),
            asset_check_selection=selection.resolve_checks(graph),
        )
    result = execute(job, instance, tags=tags, run_config=QUIET)
    return RunReport(result.run_id, len(sites), settings.warehouse, settings.outputs)


def _latest(settings: Settings) -> tuple[str | None, str | None]:
    with connect(settings.warehouse, read_only=True) as con:
        return latest_periods(con)


def run_publications(settings: Settings, *, only_changed: bool = False) -> list[str]:
    """What follows a chain run (pipelines/defs/jobs.py, NEXT_JOB): the COPIL packs of the latest
    semester, the national report of the latest full year (the calendar's other publication), then
    the national diffusion once, after both."""
    instance, definitions = ready_instance(settings), build_definitions(settings)
    semester, year = _latest(settings)
    packs = NEXT_JOB[chaine_complete.name]
    published = []
    if semester:
        config = {**QUIET, **ONLY_CHANGED_DEPARTMENTS} if only_changed else QUIET
        log.info("Dossiers des COPIL départementaux du %s…", semester)
        execute(
            definitions.resolve_job_def(packs), instance, partition_key=semester, run_config=config
        )
        published.append(semester)
    if year and not only_changed:
        log.info("Rapport national %s…", year)
        execute(
            definitions.resolve_job_def(rapport_national.name),
            instance,
            partition_key=year,
            run_config=QUIET,
        )
        published.append(year)
    log.info("Tableau de bord national, copie des analystes et index des publications…")
    execute(definitions.resolve_job_def(NEXT_JOB[packs]), instance, run_config=QUIET)
    return published


def refresh_site(settings: Settings, site: str) -> None:
    """What the sensors do after one site re-sends a file: its partition, its department's pack,
    then the national diffusion."""
    instance, definitions = ready_instance(settings), build_definitions(settings)
    register_sites(instance, settings.inbox)
    execute(
        definitions.resolve_job_def(chaine_complete.name),
        instance,
        partition_key=site,
        run_config=QUIET,
    )
    run_publications(settings, only_changed=True)


def run_purge(settings: Settings, *, simulate: bool) -> dict[str, int]:
    """The purge job, in the same Dagster home as the chain (its runs show in the UI)."""
    job = build_definitions(settings).resolve_job_def(purge_mensuelle.name)
    config = {"ops": {"purger_donnees_personnelles": {"config": {"simulation": simulate}}}, **QUIET}
    result = execute(job, ready_instance(settings), run_config=config)
    return result.output_for_node("purger_donnees_personnelles")
