"""Every pack of the demo data (the generator's inbox for four sites of three departments, through
the real chain): it renders, opens offline in Chromium with every chart drawn, prints the
warehouse's figures and no count under five."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.warehouse.connection import connect
from reports.packs.render import PAGE, PDF
from tests.browser import chromium, drawn_charts
from tests.reports.pack_fixture import (
    Published,
    build_demo_warehouse,
    publish_all,
    warehouse_figures,
)
from tests.reports.page_reading import misreported, small_counts_shown

pytestmark = [pytest.mark.lent, pytest.mark.navigateur]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return publish_all(build_demo_warehouse(tmp_path_factory.mktemp("demo")))


def test_every_demo_pack_renders_with_the_warehouse_figures(demo: Published) -> None:
    assert sorted(d.zone for d in demo.departmental) == ["13", "38", "77"]
    with connect(demo.settings.warehouse, read_only=True) as con:
        figures = warehouse_figures(con)
    for folder in demo.folders():
        page = (folder / PAGE).read_text(encoding="utf-8")
        assert (folder / PDF).read_bytes().startswith(b"%PDF")
        assert misreported(page, figures) == []
        assert small_counts_shown(page) == []


def test_every_demo_pack_draws_offline(demo: Published) -> None:
    with chromium() as browser:
        for folder in demo.folders():
            charts, problems = drawn_charts(browser, Path(folder) / PAGE)
            assert charts and all(d == "oui" and marks > 0 for _, d, marks in charts), charts
            assert problems == []


def test_every_demo_pack_is_rendered(demo: Published) -> None:
    """Speed is measured by `make bench`, not here."""
    assert sorted(o.zone for o in demo.outcomes if o.rendered) == ["13", "38", "77", "FR"]
