"""A figure outside the plausibility bounds of its catalog entry stops the publication, naming it."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipelines.catalog import load_catalog
from pipelines.defs.diffusion import entrepot_analystes
from pipelines.defs.resources import resources
from pipelines.defs.warehouse import indicator_checks, warehouse_models
from pipelines.referentials import load_referentials, read_sites
from pipelines.settings import Settings
from pipelines.warehouse.connection import connect
from pipelines.warehouse.schema import ensure_schema
from pipelines.warehouse.snapshot import SNAPSHOT_NAME
from tests.warehouse.warehouse_fixture import LAST, Fixture, build_fixture, load_fixture


def _warehouse(tmp_path: Path, fixture: Fixture, *changes: tuple[str, list]) -> Path:
    """The fixture's deliveries in a warehouse file, closed (the copy for analysts opens it)."""
    path = tmp_path / "entrepot.duckdb"
    with connect(path) as con:
        ensure_schema(con)
        load_referentials(con, read_sites(None))
        load_fixture(con, fixture)
        for statement, parameters in changes:
            con.execute(statement, parameters)
    return path


def _materialize(tmp_path: Path) -> dg.ExecuteInProcessResult:
    settings = Settings(home=tmp_path, inbox=tmp_path / "boite")
    return dg.materialize(
        [*warehouse_models, *indicator_checks, entrepot_analystes],
        resources=resources(settings),
        raise_on_error=False,
    )


def _plausibility(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    [evaluation] = [
        e for e in result.get_asset_check_evaluations() if e.check_name == "plausibilite"
    ]
    return evaluation


def test_the_catalog_bounds_occupancy_between_0_and_200_percent() -> None:
    occupancy = load_catalog()["taux_occupation"]
    assert (occupancy.plausibilite_min, occupancy.plausibilite_max) == (0.0, 2.0)


def test_plausible_figures_publish(tmp_path: Path) -> None:
    _warehouse(tmp_path, build_fixture())
    # where an earlier version wrote the analysts' copy, inside the publications folder
    stale = tmp_path / "publications" / SNAPSHOT_NAME
    stale.parent.mkdir()
    stale.write_bytes(b"copie d'avant")
    result = _materialize(tmp_path)
    assert result.success and _plausibility(result).passed
    assert (tmp_path / "analystes" / SNAPSHOT_NAME).exists() and not stale.exists()


def test_an_implausible_occupancy_blocks_publication_and_is_named(tmp_path: Path) -> None:
    fixture = build_fixture()
    site = fixture.sites[0]
    # The same semester's file sent over and over: hours a thousand times what the posts allow.
    inflate = (
        "UPDATE raw_parcours SET heures_travaillees = heures_travaillees * 1000 "
        "WHERE code_site = ? AND periode = ?",
        [site.code, LAST.code],
    )
    path = _warehouse(tmp_path, fixture, inflate)
    result = _materialize(tmp_path)
    evaluation = _plausibility(result)
    assert not result.success and not evaluation.passed
    text = evaluation.description
    assert text.startswith("Publication arrêtée")
    named = [line for line in text.splitlines() if f"(site {site.code}), {LAST.code} :" in line]
    assert len(named) == 1 and "Taux d'occupation des postes" in named[0]
    assert "(plausible de 0,0\u202f% à 200,0\u202f%)" in named[0]
    with connect(path, read_only=True) as con:
        [(occupancy,)] = con.execute(
            "SELECT valeur FROM indicateurs WHERE indicateur = 'taux_occupation' "
            "AND maille = 'site' AND code_zone = ? AND periode = ?",
            [site.code, LAST.code],
        ).fetchall()
    assert occupancy > 2
    assert not (tmp_path / "analystes" / SNAPSHOT_NAME).exists()
    assert not result.asset_materializations_for_node("entrepot_analystes")
