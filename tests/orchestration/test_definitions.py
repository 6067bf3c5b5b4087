"""The code location loads as `dagster dev` loads it: every asset, check, job, schedule and sensor
resolves against the resources it is given."""

from __future__ import annotations

import dagster as dg

from pipelines.definitions import defs
from pipelines.defs.jobs import NEXT_JOB
from pipelines.defs.sensors import apres_publication, apres_renvoi

JOBS = {
    "chaine_complete",
    "chaine_nationale",
    "dossiers_copil",
    "rapport_national",
    "diffusion_nationale",
    "purge_mensuelle",
}


def test_the_definitions_resolve() -> None:
    defs.validate_loadable(defs)
    repository = defs.get_repository_def()
    assert {job.name for job in repository.get_all_jobs()} >= JOBS
    assert {s.name for s in repository.schedule_defs} == {
        "purge_mensuelle_le_1er",
        "dossiers_copil_semestriels",
        "rapport_national_annuel_planifie",
    }
    assert {s.name for s in repository.sensor_defs} == {
        "boite_de_depot",
        "apres_renvoi",
        "apres_publication",
    }


def test_every_asset_has_a_group_and_a_description() -> None:
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.group_name != "default", key
        assert node.description, key


def test_every_asset_check_targets_a_known_asset() -> None:
    graph = defs.resolve_asset_graph()
    checks = list(graph.asset_check_keys)
    assert checks
    assert all(check.asset_key in graph.get_all_asset_keys() for check in checks)
    assert isinstance(defs.resolve_job_def("chaine_complete"), dg.JobDefinition)


def test_the_sensors_request_each_job_after_the_ones_the_chain_puts_before_it() -> None:
    """The order lives in NEXT_JOB only: each run-status sensor watches exactly the jobs that
    NEXT_JOB puts before the job it requests."""
    for sensor in (apres_renvoi, apres_publication):
        watched = {job.name for job in sensor._monitored_jobs}
        assert watched == {before for before, job in NEXT_JOB.items() if job == sensor.job_name}
    assert NEXT_JOB["chaine_complete"] == "dossiers_copil"
    assert NEXT_JOB["dossiers_copil"] == NEXT_JOB["rapport_national"] == "diffusion_nationale"
