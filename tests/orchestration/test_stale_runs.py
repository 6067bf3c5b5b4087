"""What a killed `iae` run leaves in the Dagster home is cleared by the next command; a run the UI
started and that still holds the warehouse is named, never ended."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.storage.dagster_run import DagsterRun

from pipelines.dagster_home import PROCESS_TAG, instance_for, ready_instance
from pipelines.defs.resources import WAREHOUSE_POOL
from pipelines.errors import IaeError
from pipelines.settings import Settings


def _started_run(instance: dg.DagsterInstance, tags: dict[str, str]) -> str:
    """A run STARTED that claims the warehouse's slot, as a run in its first step does."""
    run_id = str(uuid.uuid4())
    instance.add_run(
        DagsterRun(
            job_name="chaine_complete", run_id=run_id, status=dg.DagsterRunStatus.STARTED, tags=tags
        )
    )
    instance.event_log_storage.set_concurrency_slots(WAREHOUSE_POOL, 1)
    claim = instance.event_log_storage.claim_concurrency_slot(
        WAREHOUSE_POOL, run_id, "referentiels"
    )
    assert claim.is_claimed
    return run_id


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_killed_iae_run_is_ended_and_frees_the_warehouse(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, inbox=tmp_path / "boite")
    run_id = _started_run(instance_for(settings), {PROCESS_TAG: str(_dead_pid())})

    instance = ready_instance(settings)

    assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.FAILURE
    assert instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL).claimed_slots == []


def test_a_live_run_from_the_ui_is_named_not_ended(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, inbox=tmp_path / "boite")
    run_id = _started_run(instance_for(settings), {})

    with pytest.raises(IaeError, match=f"occupé par l'exécution Dagster {run_id} "):
        ready_instance(settings)
    assert instance_for(settings).get_run_by_id(run_id).status == dg.DagsterRunStatus.STARTED
