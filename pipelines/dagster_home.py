"""The Dagster home of an output folder: its instance, and what a killed run left in it.

`iae` runs its jobs in its own process. Killed (`kill -9`, a reboot), that process leaves its run
STARTED and the warehouse's concurrency slot claimed for ever: the next run would wait for the
slot without end. Every run `iae` starts carries its process id; a command holding the output
folder (pipelines/lock.py) first ends the runs whose process is gone and frees their slots. A run
started from the UI is never ended here: when one holds the warehouse, `iae` names it and stops
instead of waiting.
"""

from __future__ import annotations

import logging
import os

import dagster as dg
import yaml

from pipelines.defs.resources import WAREHOUSE_POOL
from pipelines.errors import IaeError
from pipelines.settings import Settings

log = logging.getLogger("iae")

PROCESS_TAG = "iae/pid"
# One run at a time; the daemon of `make ui` frees the slots of runs ended for 30 s (cancelled in
# the UI, or ended here). Steps' output is not captured to files: Dagster mirrors each such file
# to the terminal through a `tail -F` child, which a run killed at the wrong moment (`kill -9`
# between the two children it starts) leaves running for ever. The run's events (materialisations,
# checks and their French descriptions, failures) stay in the UI.
INSTANCE_CONFIG = {
    "telemetry": {"enabled": False},
    "concurrency": {"runs": {"max_concurrent_runs": 1}, "pools": {"default_limit": 1}},
    "run_monitoring": {"enabled": True, "free_slots_after_run_end_seconds": 30},
    "compute_logs": {
        "module": "dagster._core.storage.noop_compute_log_manager",
        "class": "NoOpComputeLogManager",
    },
}
UNFINISHED = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


def instance_for(settings: Settings) -> dg.DagsterInstance:
    """The persistent Dagster instance of this output folder (its configuration kept current)."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    text = yaml.safe_dump(INSTANCE_CONFIG)
    if not config.exists() or config.read_text(encoding="utf-8") != text:
        config.write_text(text, encoding="utf-8")
    return dg.DagsterInstance.from_config(str(home))


def run_tags() -> dict[str, str]:
    """The tags of a run this process executes."""
    return {PROCESS_TAG: str(os.getpid())}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _dead_process(run: dg.DagsterRun) -> bool:
    pid = run.tags.get(PROCESS_TAG)
    return pid is not None and int(pid) != os.getpid() and not _alive(int(pid))


def ready_instance(settings: Settings) -> dg.DagsterInstance:
    """The instance, cleared of what killed runs left, with the warehouse free. Call it holding
    the output folder."""
    instance = instance_for(settings)
    release_stale_runs(instance)
    refuse_if_warehouse_busy(instance)
    return instance


def release_stale_runs(instance: dg.DagsterInstance) -> None:
    """End the unfinished runs of `iae` processes that are gone, free the slots they and any
    ended run still claim. Call it holding the output folder."""
    stale = [
        run for run in instance.get_runs(dg.RunsFilter(statuses=UNFINISHED)) if _dead_process(run)
    ]
    for run in stale:
        instance.report_run_failed(run, "Processus arrêté avant la fin de l'exécution.")
        log.warning(
            "Exécution Dagster %s (%s) interrompue sans se terminer (processus %s arrêté) : "
            "marquée en échec, l'entrepôt est libéré.",
            run.run_id,
            run.job_name,
            run.tags[PROCESS_TAG],
        )
    storage = instance.event_log_storage
    claiming = storage.get_concurrency_run_ids()
    if claiming:
        live = instance.get_runs(dg.RunsFilter(run_ids=list(claiming), statuses=UNFINISHED))
        for run_id in claiming - {run.run_id for run in live}:
            storage.free_concurrency_slots_for_run(run_id)


def refuse_if_warehouse_busy(instance: dg.DagsterInstance) -> None:
    """A live run (started from the UI) holds the warehouse: say which, rather than wait for it."""
    info = instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
    holders = list({slot.run_id for slot in info.claimed_slots})
    if not holders:
        return
    busy = instance.get_runs(dg.RunsFilter(run_ids=holders), limit=1)
    if busy:
        raise IaeError(
            f"L'entrepôt est occupé par l'exécution Dagster {busy[0].run_id} ({busy[0].job_name}), "
            "lancée depuis l'interface. Attendez sa fin, ou annulez-la dans l'interface "
            "(make ui), puis relancez."
        )
