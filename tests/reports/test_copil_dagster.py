"""The publication assets in Dagster: partitions by semester and year, jobs, the COPIL calendar."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import dagster as dg
import pytest

from pipelines.defs.confidentiality import chiffres_diffuses, confidentiality_checks
from pipelines.defs.dashboard import tableau_de_bord
from pipelines.defs.diffusion import entrepot_analystes, registre_traitements
from pipelines.defs.jobs import diffusion_nationale
from pipelines.defs.partitions import ANNEES, SEMESTRES, semester_keys, year_keys
from pipelines.defs.publication import dossiers_copil, publication_assets, rapport_national
from pipelines.defs.resources import resources
from pipelines.defs.schedules import last_due_semester, last_due_year, publication_schedules
from pipelines.defs.sensors import apres_publication
from pipelines.defs.warehouse import indicator_checks
from pipelines.settings import Settings
from reports.packs.publish import read_manifest
from tests.reports.pack_fixture import build_warehouse

pytestmark = pytest.mark.lent

SETTINGS = Settings(home=Path("."), inbox=Path("."))


def test_partitions_follow_the_calendar() -> None:
    keys = semester_keys(date(2026, 11, 27))
    assert keys[0] == "2016-S1" and keys[-1] == "2026-S2" and len(keys) == 22
    assert year_keys(date(2026, 11, 27))[-1] == "2026"
    assert "2026-S1" in SEMESTRES.get_partition_keys() and "2025" in ANNEES.get_partition_keys()


def test_the_schedules_ask_for_the_semester_whose_deliveries_were_just_due() -> None:
    semester_packs, national_report = publication_schedules(SETTINGS)
    assert [semester_packs.cron_schedule, national_report.cron_schedule] == [
        "0 6 1 3,9 *",
        "0 6 1 3 *",
    ]
    later = publication_schedules(replace(SETTINGS, due_months_after=3))
    assert [s.cron_schedule for s in later] == ["0 6 1 4,10 *", "0 6 1 4 *"]
    assert last_due_semester(date(2026, 9, 1), SETTINGS).code == "2026-S1"
    assert last_due_semester(date(2027, 3, 1), SETTINGS).code == "2026-S2"
    assert last_due_semester(date(2026, 8, 15), SETTINGS).code == "2025-S2"
    assert last_due_year(date(2027, 3, 1), SETTINGS) == 2026
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 9, 1, 6))
    request = semester_packs(context)
    assert request.partition_key == "2026-S1"


def test_the_jobs_publish_the_packs_and_the_index(tmp_path: Path) -> None:
    settings = build_warehouse(tmp_path)
    definitions = dg.Definitions(
        assets=[
            *publication_assets,
            chiffres_diffuses,
            tableau_de_bord,
            entrepot_analystes,
            registre_traitements,
        ],
        asset_checks=[*indicator_checks, *confidentiality_checks],
        jobs=[dossiers_copil, rapport_national, diffusion_nationale],
        schedules=publication_schedules(settings),
        resources=resources(settings),
    )
    instance = dg.DagsterInstance.ephemeral()
    semester = definitions.resolve_job_def("dossiers_copil").execute_in_process(
        partition_key="2026-S1", instance=instance
    )
    assert semester.success
    # The blocking checks of the indicators and the secrecy audit ran first, in the publication
    # job itself.
    assert {c.check_name for c in semester.get_asset_check_evaluations() if c.passed} == {
        "additivite",
        "taux_entre_0_et_1",
        "plausibilite",
        "audit_secret_statistique",
    }
    (materialisation,) = [
        e.materialization
        for e in semester.get_asset_materialization_events()
        if e.asset_key == dg.AssetKey("dossiers_copil_departementaux")
    ]
    assert materialisation.metadata["dossiers_regeneres"].value == 2
    year = definitions.resolve_job_def("rapport_national").execute_in_process(
        partition_key="2025", instance=instance
    )
    assert year.success
    outputs = settings.outputs
    assert read_manifest(outputs / "copil" / "national" / "2025")["execution"] == year.run_id
    assert "copil/national/2025/index.html" in (outputs / "index.html").read_text(encoding="utf-8")
    assert "tableau_de_bord" not in (outputs / "index.html").read_text(encoding="utf-8")

    # Then the sensor asks for the national diffusion, whose index links the dashboard.
    success = next(e for e in year.all_events if e.event_type == dg.DagsterEventType.RUN_SUCCESS)
    request = apres_publication(
        dg.build_run_status_sensor_context(
            sensor_name=apres_publication.name,
            dagster_event=success,
            dagster_instance=instance,
            dagster_run=year.dagster_run,
        )
    )
    assert request.run_key == year.run_id
    assert apres_publication.job_name == diffusion_nationale.name
    diffusion = definitions.resolve_job_def(diffusion_nationale.name).execute_in_process(
        instance=instance
    )
    assert diffusion.success
    # The analysts' exact figures beside the publications, never in them.
    assert (settings.analysts / "entrepot_analystes.duckdb").is_file()
    assert not [p for p in outputs.rglob("*") if p.suffix == ".duckdb"]
    index = (outputs / "index.html").read_text(encoding="utf-8")
    assert "tableau_de_bord/index.html" in index
    assert (outputs / "tableau_de_bord" / "index.html").is_file()
