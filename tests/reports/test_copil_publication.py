"""Publishing: atomic (a failure leaves the previous pack), incremental (only changed packs are
rendered again, the department whose own figures changed first), listed in the index."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from pipelines.settings import Thresholds
from pipelines.warehouse.connection import connect
from reports.packs import publish, render
from reports.packs.dataset import PackDataset
from reports.packs.figures import write_published_figures
from reports.packs.publish import (
    DEPARTMENTS_DIR,
    departmental_packs,
    latest_periods,
    publish_departmental_packs,
    publish_index,
    publish_pack,
    read_manifest,
)
from reports.packs.render import PAGE, PDF
from tests.reports.pack_fixture import RUN_ID, SEMESTER, Published, build_warehouse

pytestmark = pytest.mark.lent


def _snapshot(folder: Path) -> dict[str, bytes]:
    files = [*folder.rglob("*"), folder.with_name(f"{folder.name}.zip")]
    return {str(p): p.read_bytes() for p in files if p.is_file()}


@pytest.fixture
def copy(published: Published, tmp_path: Path) -> Path:
    """A private copy of the published outputs and of the warehouse, to change them freely."""
    shutil.copytree(published.settings.home, tmp_path / "home")
    return tmp_path / "home"


def _datasets(home: Path, run_id: str = RUN_ID) -> list[PackDataset]:
    with connect(home / "entrepot.duckdb", read_only=True) as con:
        return departmental_packs(con, SEMESTER, Thresholds(), run_id)


def test_an_unchanged_pack_is_not_rendered_again(copy: Path) -> None:
    outcomes = publish_departmental_packs(
        _datasets(copy, "autre-execution"), copy / "publications", SEMESTER
    )
    assert [o.rendered for o in outcomes] == [False, False]
    manifest = read_manifest(copy / "publications" / DEPARTMENTS_DIR / SEMESTER / "77")
    assert manifest["execution"] == RUN_ID


def test_only_the_department_whose_figures_changed_is_rendered_again(copy: Path) -> None:
    with connect(copy / "entrepot.duckdb") as con:
        con.execute(
            "UPDATE statut_livraisons SET statut = 'a_l_heure' "
            "WHERE code_site = '77-alpha' AND periode = ?",
            [SEMESTER],
        )
    outcomes = publish_departmental_packs(
        _datasets(copy, "relance"), copy / "publications", SEMESTER
    )
    assert [(o.zone, o.rendered) for o in outcomes] == [("77", True), ("13", False)]
    folder = copy / "publications" / DEPARTMENTS_DIR / SEMESTER / "77"
    assert read_manifest(folder)["execution"] == "relance"
    assert "Livrée à temps" in (folder / PAGE).read_text(encoding="utf-8")


def test_own_changes_only_leaves_national_only_changes_for_later(copy: Path) -> None:
    """Ten more ETP in a site of 77, shown in 77's pack and in the national figures both packs
    print: 77's own pack goes first, 13's (national change only) later. ETP are no count of
    people: protecting the figures again hides nothing more in 13, as a count could (linked
    suppression may answer a change in 77 by hiding a count in 13)."""
    with connect(copy / "entrepot.duckdb") as con:
        con.execute(
            "UPDATE indicateurs SET valeur = valeur + 10, numerateur = numerateur + 10 "
            "WHERE indicateur = 'etp_realises' AND periode = ? "
            "AND (code_zone IN ('77', 'FR', 'paris', '77-alpha'))",
            [SEMESTER],
        )
        write_published_figures(con, Thresholds())
    datasets = _datasets(copy, "relance")
    outputs = copy / "publications"
    first = publish_departmental_packs(datasets, outputs, SEMESTER, own_changes_only=True)
    assert [(o.zone, o.rendered) for o in first] == [("77", True)]
    later = publish_departmental_packs(datasets, outputs, SEMESTER)
    assert sorted((o.zone, o.rendered) for o in later) == [("13", True), ("77", False)]


def test_the_run_publishes_the_latest_semester_and_complete_year(copy: Path) -> None:
    with connect(copy / "entrepot.duckdb", read_only=True) as con:
        assert latest_periods(con) == (SEMESTER, "2025")


def test_a_failed_rendering_leaves_the_previous_pack_intact(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy / "publications" / DEPARTMENTS_DIR / SEMESTER / "77"
    before = _snapshot(folder)

    def broken(*_: object) -> str:
        raise RuntimeError("panne pendant le PDF")

    monkeypatch.setattr(render, "render_print", broken)
    [dataset] = [d for d in _datasets(copy) if d.zone == "77"]
    with pytest.raises(RuntimeError):
        publish_pack(dataset, folder, force=True)
    assert _snapshot(folder) == before
    leftovers = [p.name for p in folder.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_the_index_lists_every_pack_and_the_other_publications(copy: Path) -> None:
    outputs = copy / "publications"
    (outputs / "qualite").mkdir(exist_ok=True)
    (outputs / "qualite" / "index.html").write_text("<p>qualité</p>", encoding="utf-8")
    index = publish_index(outputs, datetime(2026, 11, 28, 9)).read_text(encoding="utf-8")
    for code in ("77", "13"):
        assert f'href="copil/departements/{SEMESTER}/{code}/{PAGE}"' in index
        assert f'href="copil/departements/{SEMESTER}/{code}/{PDF}"' in index
    assert 'href="copil/national/2025/index.html"' in index
    assert 'href="qualite/index.html"' in index and "tableau_de_bord" not in index
    assert "28 novembre 2026" in index and "30 juin 2026" in index


def test_a_new_layout_renders_every_pack_again(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish, "renderer_signature", lambda: "nouvelle-mise-en-page")
    outcomes = publish_departmental_packs(_datasets(copy), copy / "publications", SEMESTER)
    assert all(o.rendered for o in outcomes)


def test_a_fresh_warehouse_publishes_from_scratch(tmp_path: Path) -> None:
    settings = build_warehouse(tmp_path)
    with connect(settings.warehouse, read_only=True) as con:
        datasets = departmental_packs(con, "2024-S2", settings.thresholds, "premiere")
    outcomes = publish_departmental_packs(datasets, settings.outputs, "2024-S2")
    assert {o.zone for o in outcomes} == {"13", "77"} and all(o.rendered for o in outcomes)
