"""The inbox sensor registers new sites and asks for a run of exactly the sites whose files changed."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from pipelines.defs.sensors import boite_de_depot
from pipelines.referentials import load_referentials, read_sites
from pipelines.settings import Settings
from pipelines.warehouse.connection import connect
from pipelines.warehouse.schema import ensure_schema
from tests.conftest import PARCOURS_HEADER, TODAY, parcours_row, run_ingest, write_csv


def _tick(instance: dg.DagsterInstance, inbox: Path, cursor: str | None) -> dg.SensorResult:
    settings = Settings(home=inbox.parent / "var", inbox=inbox, today=TODAY)
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"settings": settings}
    )
    return boite_de_depot(context)


def test_sensor_registers_sites_and_runs_only_changed_ones(tmp_path: Path) -> None:
    inbox = tmp_path / "boite"
    write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv", PARCOURS_HEADER, [parcours_row("A1", "05/01/2025")]
    )
    write_csv(
        inbox / "06-nice_parcours_2025-S1.csv", PARCOURS_HEADER, [parcours_row("N1", "05/01/2025")]
    )
    write_csv(
        inbox / "national_reincarcerations_2025-S1.csv",
        ["identifiant", "date_ecrou"],
        [["X", "01/02/2025"]],
    )
    with dg.instance_for_test() as instance:
        first = _tick(instance, inbox, None)
        [added] = first.dynamic_partitions_requests
        assert sorted(added.partition_keys) == ["06-nice", "77-meaux"]
        assert sorted((r.job_name, r.partition_key) for r in first.run_requests) == [
            ("chaine_complete", "06-nice"),
            ("chaine_complete", "77-meaux"),
            ("chaine_nationale", None),
        ]
        instance.add_dynamic_partitions("sites", added.partition_keys)

        quiet = _tick(instance, inbox, first.cursor)
        assert quiet.run_requests == [] and quiet.dynamic_partitions_requests == []

        resent = write_csv(
            inbox / "77-meaux_parcours_2025-S1 (1).csv",
            PARCOURS_HEADER,
            [parcours_row("A2", "05/01/2025")],
        )
        os.utime(resent, (resent.stat().st_mtime + 10,) * 2)
        again = _tick(instance, inbox, quiet.cursor)
        assert [(r.job_name, r.partition_key) for r in again.run_requests] == [
            ("chaine_complete", "77-meaux")
        ]


def test_a_file_naming_no_known_site_makes_no_partition(tmp_path: Path) -> None:
    inbox = tmp_path / "boite"
    write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv", PARCOURS_HEADER, [parcours_row("A1", "05/01/2025")]
    )
    write_csv(
        inbox / "14-caem_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [parcours_row("C1", "05/01/2025")],
    )
    with dg.instance_for_test() as instance:
        first = _tick(instance, inbox, None)
        [added] = first.dynamic_partitions_requests
        assert list(added.partition_keys) == ["77-meaux"]
        # The misnamed file goes to the national ingest, which refuses it with its reason.
        assert sorted((r.job_name, r.partition_key) for r in first.run_requests) == [
            ("chaine_complete", "77-meaux"),
            ("chaine_nationale", None),
        ]


def test_a_new_dagster_home_starts_from_what_the_warehouse_holds(tmp_path: Path) -> None:
    """Opened beside a warehouse built by `iae run`, the sensor runs only files it has not read."""
    inbox = tmp_path / "boite"
    for site, person in (("77-meaux", "A1"), ("06-nice", "N1")):
        write_csv(
            inbox / f"{site}_parcours_2025-S1.csv",
            PARCOURS_HEADER,
            [parcours_row(person, "05/01/2025")],
        )
    with connect(tmp_path / "var" / "entrepot.duckdb") as con:
        ensure_schema(con)
        load_referentials(con, read_sites(None))
        run_ingest(con, inbox)
    write_csv(
        inbox / "77-meaux_personnel_2025-S1.csv",
        ["identifiant_salarie", "role", "date_arrivee", "date_depart", "etp"],
        [["S1", "encadrant_technique", "01/01/2025", "", "1"]],
    )
    with dg.instance_for_test() as instance:
        first = _tick(instance, inbox, None)
        [added] = first.dynamic_partitions_requests
        assert sorted(added.partition_keys) == ["06-nice", "77-meaux"]
        assert [(r.job_name, r.partition_key) for r in first.run_requests] == [
            ("chaine_complete", "77-meaux")
        ]
