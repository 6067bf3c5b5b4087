"""Every pack of the demo data (the generator's inbox for four sites of three departments, through
the real chain): it renders, opens offline in Chromium with every chart drawn, prints the
warehouse's figures and no count under five."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.settings import Settings
from pipelines.warehouse.connection import connect
from reports.packs.publish import read_manifest
from reports.packs.render import PAGE, PDF
from tests.browser import chromium, drawn_charts, low_contrast, open_offline, skip_link_target
from tests.layout import headings_of, pdf_problems, wide_tables
from tests.reports.pack_fixture import (
    Published,
    copy_demo_warehouse,
    publish_all,
    warehouse_figures,
)
from tests.reports.page_reading import chart_specs, misreported, small_counts_shown

pytestmark = [pytest.mark.lent, pytest.mark.navigateur]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_warehouse: Settings) -> Published:
    return publish_all(copy_demo_warehouse(demo_warehouse, tmp_path_factory.mktemp("demo")))


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


def test_every_demo_pdf_page_can_be_sent_as_is(demo: Published) -> None:
    """No page of any demo PDF holds only a heading or a note or ends on a section heading, none
    has text past its printable box, and nothing was too wide for its page (Chromium would have
    shrunk the pages)."""
    for folder in demo.folders():
        headings = headings_of((folder / PAGE).read_text(encoding="utf-8"))
        assert pdf_problems(folder / PDF, headings) == [], folder.name
        assert read_manifest(folder)["debordements"] == [], folder.name


def test_every_demo_page_fits_the_screen_and_reads_well(demo: Published) -> None:
    """At 1366 px no table is wider than the page's column; every text has a 4.5:1 contrast
    (3:1 when large); the keyboard's first stop skips to the content."""
    with chromium() as browser:
        for path in [*(folder / PAGE for folder in demo.folders()), demo.outputs / PAGE]:
            page, problems = open_offline(browser, path)
            page.wait_for_load_state("load")  # type: ignore[attr-defined]
            assert wide_tables(page) == [], path
            assert low_contrast(page) == [], path
            assert skip_link_target(page) == ("#contenu", "Aller au contenu")
            assert problems == []
            page.close()  # type: ignore[attr-defined]


def test_a_single_site_department_draws_its_occupancy_once(demo: Published) -> None:
    """With one site, the sites' chart would repeat the department's: it is drawn only where a
    department has had several sites (the demo's 13 has two, 38 and 77 one each)."""
    drawn = {
        d.zone: set(chart_specs((demo.department_folder(d.zone) / PAGE).read_text("utf-8")))
        for d in demo.departmental
    }
    sites = {zone: len(_site_codes(demo, zone)) for zone in drawn}
    assert sites == {"13": 2, "38": 1, "77": 1}
    for zone, charts in drawn.items():
        assert "occupation" in charts
        assert ("sites" in charts) == (sites[zone] > 1), zone


def _site_codes(demo: Published, zone: str) -> set[str]:
    with connect(demo.settings.warehouse, read_only=True) as con:
        return {
            code
            for (code,) in con.execute(
                "SELECT code_site FROM ref_sites WHERE departement = ? AND code_site IN "
                "(SELECT DISTINCT code_site FROM livraisons)",
                [zone],
            ).fetchall()
        }
