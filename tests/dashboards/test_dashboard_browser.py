"""The dashboard in Debian's Chromium, network blocked: it loads cleanly and every filter works.

What the charts hold is read back from the page (the Vega views' data and scales), never assumed.
One browser for the module, a fresh page per test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from playwright.sync_api import Browser, Page, Route

from dashboards.views import BREAKDOWNS, TILES, TRENDS
from pipelines.catalog import load_catalog
from pipelines.codes import load_codes
from pipelines.warehouse.connection import connect
from reports.packs.figures import published_figures
from tests.browser import chromium, low_contrast, skip_link_target
from tests.dashboards.conftest import Built
from tests.dashboards.dashboard_fixture import LATEST
from tests.layout import wide_tables

pytestmark = pytest.mark.navigateur

LOAD_TIMEOUT_MS = 30_000

# Everything the filters act on: each view's data sources, the tiles, the HTML tables.
SNAPSHOT = """() => {
  const vues = window.tableauDeBord.vues;
  const texte = (selecteur) => [...document.querySelectorAll(selecteur)].map((e) => e.innerText);
  return {
    tendances: vues.tendances.data("tendances"),
    departements: vues.comparaison.data("departements"),
    national: vues.comparaison.data("national"),
    livraisons: vues.livraisons.data("livraisons"),
    ventilations: vues.ventilations.data("ventilations"),
    tuiles: texte("[data-tuile]"),
    sites: texte("#tableau-sites tbody tr"),
  };
}"""
DEPARTMENT_ORDER = "() => window.tableauDeBord.vues.comparaison.scale('y').domain()"


@dataclass
class OpenedPage:
    page: Page
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def snapshot(self) -> dict[str, Any]:
        return self.page.evaluate(SNAPSHOT)

    def choose(self, name: str, value: str) -> dict[str, Any]:
        """Pick a filter value, wait for every view to be refilled; the new snapshot."""
        done = self.page.evaluate("window.tableauDeBord.misesAJour")
        self.page.select_option(f"#filtre-{name}", value)
        self.page.wait_for_function(f"window.tableauDeBord.misesAJour > {done}")
        return self.snapshot()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as opened:
        yield opened


@pytest.fixture
def opened(browser: Browser, dashboard_page: Path) -> Iterator[OpenedPage]:
    yield from _open(browser, dashboard_page)


def _open(browser: Browser, path: Path) -> Iterator[OpenedPage]:
    """The page at `path` in a fresh tab, network blocked, once every view is drawn."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    opened = OpenedPage(page)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: opened.errors.append(str(error)))

    def offline(route: Route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            opened.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    page.goto(path.as_uri())
    page.wait_for_selector("#contenu[data-etat=pret]", state="attached", timeout=LOAD_TIMEOUT_MS)
    yield opened
    page.close()


def _changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def test_page_loads_offline_without_console_error(opened: OpenedPage) -> None:
    shown = opened.snapshot()
    assert opened.errors == []
    assert opened.blocked == []
    assert shown["tendances"] and shown["departements"] and shown["livraisons"]
    assert opened.page.locator("#titre-zone").inner_text() == "France — 2e semestre 2025"
    assert opened.page.locator("#filtre-periode").input_value() == LATEST


def test_each_filter_changes_the_charts_data(opened: OpenedPage) -> None:
    steps = [
        (
            "periode",
            "2025-S1",
            {"tendances", "departements", "national", "livraisons", "ventilations", "tuiles"},
        ),
        ("type", "annee", {"tendances", "departements", "national", "tuiles"}),
        ("disp", "strasbourg", {"tendances", "departements", "livraisons", "tuiles", "sites"}),
        ("departement", "67", {"tendances", "departements", "livraisons", "tuiles", "sites"}),
        ("site", "67-strasbourg", {"tendances", "livraisons", "tuiles", "sites"}),
    ]
    before = opened.snapshot()
    for name, value, expected in steps:
        after = opened.choose(name, value)
        assert expected <= _changed(before, after), name
        before = after
    compared = {row["code_zone"] for row in before["departements"]}
    assert {"57", "67"} <= compared
    assert not compared & {"06", "75", "77"}
    assert [row["code_zone"] for row in before["departements"] if row["selectionne"]][:1] == ["67"]
    assert {row["serie"] for row in before["tendances"] if row["role"] == "zone"} == {
        "Maison d'arrêt de Strasbourg (Ressources Dedans-Dehors)"
    }
    assert {row["code_site"] for row in before["livraisons"]} == {"67-strasbourg"}
    assert len(before["sites"]) == 1
    catalog = {i.id: i for i in load_catalog().indicators}
    unpublished = [
        t for i, t in zip(TILES, before["tuiles"], strict=True) if not catalog[i].par_site
    ]
    assert unpublished and all("non publié par site" in t for t in unpublished)
    assert opened.errors == []


def test_clearing_a_filter_widens_the_zone_again(opened: OpenedPage) -> None:
    opened.choose("site", "67-strasbourg")
    site = opened.snapshot()
    department = opened.choose("site", "")
    assert {"tendances", "livraisons", "tuiles", "sites"} <= _changed(site, department)
    assert len(department["sites"]) == 2
    disp = opened.choose("departement", "")
    assert {"tendances", "departements", "tuiles"} <= _changed(department, disp)
    assert (
        opened.page.locator("#titre-zone").inner_text() == "DISP de Strasbourg — 2e semestre 2025"
    )
    assert opened.errors == []


def _published_by_department(built: Built, indicator: str) -> dict[str, float]:
    """Department label → the value the page shows for the indicator (hidden ones left out)."""
    with connect(built.settings.warehouse, read_only=True) as con:
        figures = published_figures(con)
        labels = dict(con.sql("SELECT code_zone, libelle_zone FROM zones").fetchall())
    shown = figures.filter(
        (pl.col("maille") == "departement")
        & (pl.col("periode") == LATEST)
        & (pl.col("indicateur") == indicator)
        & pl.col("valeur").is_not_null()
    )
    return {
        f"{code} – {labels[code]}": value
        for code, value in shown.select("code_zone", "valeur").iter_rows()
    }


def _order_for(opened: OpenedPage, indicator: str) -> list[str]:
    before = "|".join(opened.page.evaluate(DEPARTMENT_ORDER))
    opened.page.select_option("#choix-indicateur select", indicator)
    opened.page.wait_for_function(
        f"(avant) => ({DEPARTMENT_ORDER})().join('|') !== avant", arg=before
    )
    return opened.page.evaluate(DEPARTMENT_ORDER)


def test_department_comparison_reorders_with_the_indicator(
    opened: OpenedPage, dashboard_warehouse: Built
) -> None:
    """Departments ranked on occupancy, then on realised ETP: each order is the published values'
    order (the hidden ones aside), and the two differ."""
    orders = {}
    for indicator in ("taux_occupation", "etp_realises"):
        values = _published_by_department(dashboard_warehouse, indicator)
        order = [d for d in _order_for(opened, indicator) if d in values]
        assert len(order) >= 3
        assert [values[d] for d in order] == sorted(values[d] for d in order)[::-1]
        orders[indicator] = order
    assert orders["taux_occupation"] != orders["etp_realises"]
    definition = opened.page.locator("#definition-indicateur").inner_text()
    assert definition.strip() == load_catalog()["etp_realises"].definition.strip()
    assert opened.errors == []


# Each delivery cell's symbol and colour: one symbol shape per status, so colour is not alone.
DELIVERY_MARKS = """() => {
  const view = document.querySelector("#vue-livraisons");
  return {
    cells: view.querySelectorAll(".mark-rect path").length,
    symbols: view.querySelectorAll(".mark-symbol path").length,
    shapes: new Set([...view.querySelectorAll(".mark-symbol path")].map((p) => p.getAttribute("d").replace(/[-0-9.]+/g, "n").length)).size,
    colours: new Set([...view.querySelectorAll(".mark-rect path")].map((p) => p.getAttribute("fill"))).size,
  };
}"""


def test_the_page_fits_1366_px_reads_well_and_tells_states_by_symbol(
    opened: OpenedPage,
) -> None:
    page = opened.page
    assert wide_tables(page) == []
    assert low_contrast(page) == []
    assert skip_link_target(page) == ("#contenu", "Aller au contenu")
    marks = page.evaluate(DELIVERY_MARKS)
    assert marks["cells"] > 0 and marks["symbols"] >= marks["cells"]
    assert marks["shapes"] >= marks["colours"] >= 1


def test_each_figure_is_the_string_the_packs_print(
    opened: OpenedPage, dashboard_warehouse: Built
) -> None:
    """One rounding (half up) in one place: the page's department figures are the packs' texts."""
    settings = dashboard_warehouse.settings
    with connect(settings.warehouse, read_only=True) as con:
        figures = published_figures(con)
    printed = {
        (r["code_zone"], r["indicateur"]): r["texte"]
        for r in figures.filter(pl.col("periode") == LATEST).iter_rows(named=True)
    }
    shown = opened.snapshot()["departements"]
    assert shown
    assert [
        (row["code_zone"], row["indicateur"], row["texte"])
        for row in shown
        if row["texte"] != printed[row["code_zone"], row["indicateur"]]
    ] == []


def test_exits_by_reason_and_releases_by_situation_are_the_published_figures(
    opened: OpenedPage, dashboard_warehouse: Built
) -> None:
    with connect(dashboard_warehouse.settings.warehouse, read_only=True) as con:
        figures = published_figures(con)
    nation = figures.filter((pl.col("maille") == "nation") & (pl.col("periode") == LATEST))
    printed = {r["indicateur"]: r["texte"] for r in nation.iter_rows(named=True)}
    shown = opened.snapshot()["ventilations"]
    expected = [
        (group, label, printed[f"{prefix}{code.code}"])
        for group, _, nomenclature, prefix in BREAKDOWNS
        for code in load_codes()[nomenclature].codes
        for label in [code.libelle]
    ]
    assert [(r["groupe"], r["categorie"], r["texte"]) for r in shown] == expected


def test_the_comparison_can_rank_the_sites_of_the_chosen_zone(opened: OpenedPage) -> None:
    opened.choose("departement", "67")
    done = opened.page.evaluate("window.tableauDeBord.misesAJour")
    opened.page.select_option("#maille-comparee", "site")
    opened.page.wait_for_function(f"window.tableauDeBord.misesAJour > {done}")
    compared = opened.snapshot()["departements"]
    assert {row["code_zone"] for row in compared} == {"67-oermingen", "67-strasbourg"}
    assert [row for row in compared if row["valeur"] is not None]  # a per-site indicator
    assert opened.errors == []


def _empty_trend_panels(figures: pl.DataFrame, zone: str) -> list[str]:
    """The labels of the trend panels where `zone` has no shown figure in any semester."""
    shown = set(
        figures.filter(
            (pl.col("code_zone") == zone)
            & pl.col("periode").str.contains("-S")
            & pl.col("valeur").is_not_null()
        )["indicateur"]
    )
    labels = {indicator.id: indicator.libelle for indicator in load_catalog().indicators}
    return [labels[i] for i in TRENDS if i not in shown]


def test_a_trend_panel_without_any_point_is_named_under_the_charts(
    opened: OpenedPage, dashboard_warehouse: Built
) -> None:
    """An empty panel does not say why: the panels where the zone has no point are listed,
    as the packs do; which ones comes from the published figures."""
    with connect(dashboard_warehouse.settings.warehouse, read_only=True) as con:
        figures = published_figures(con)
    note = opened.page.locator("#tendances-vides")
    for step, zone in ((None, "FR"), (("disp", "strasbourg"), None), (("departement", "67"), "67")):
        if step:
            opened.choose(*step)
        if zone is None:
            continue
        expected = _empty_trend_panels(figures, zone)
        assert expected  # the re-incarceration windows are not over in the fixture
        assert note.is_visible()
        assert note.inner_text() == (
            f"Aucun point pour : {' ; '.join(expected)} (chiffres masqués, pas encore "
            "mesurables ou sans livraison)."
        )


def test_a_year_in_progress_is_listed_but_the_last_complete_one_is_chosen(
    browser: Browser, dashboard_page: Path, tmp_path: Path
) -> None:
    """Data up to 30 June give a year 2026 of one semester: comparing it with the whole of 2025
    would read as a fall by half. Choosing « Année » shows the last complete year; 2026 stays in
    the list, said partial, and once chosen shows no change from 2025."""
    html = dashboard_page.read_text(encoding="utf-8")
    start = html.index('<script type="application/json" id="donnees">') + len(
        '<script type="application/json" id="donnees">'
    )
    end = html.index("</script>", start)
    payload = json.loads(html[start:end])
    latest = max(p["code"] for p in payload["periodes"] if p["type"] == "annee")
    partial = str(int(latest) + 1)
    payload["periodes"].append(
        {
            "code": partial,
            "type": "annee",
            "libelle": f"{partial} (jusqu'au 30/06)",
            "debut": f"{partial}-01-01",
            "partielle": True,
        }
    )
    national = next(i for i, z in enumerate(payload["zones"]) if z["code"] == "FR")
    entries = next(i for i, x in enumerate(payload["indicateurs"]) if x["id"] == "entrees")
    payload["valeurs"].append([national, len(payload["periodes"]) - 1, entries, 1, None, None])
    page = tmp_path / dashboard_page.name
    page.write_text(html[:start] + json.dumps(payload) + html[end:], encoding="utf-8")
    for asset in dashboard_page.parent.iterdir():
        if asset != dashboard_page:
            (tmp_path / asset.name).symlink_to(asset)
    opened = next(_open(browser, page))
    opened.choose("type", "annee")
    select = opened.page.locator("#filtre-periode")
    assert select.input_value() == latest
    assert f"{partial} (jusqu'au 30/06)" in select.inner_text()
    after = opened.choose("periode", partial)
    tile = next(t for t in after["tuiles"] if t.startswith("Entrées"))
    assert f"{latest} : " in tile and "(" not in tile.split(f"{latest} : ")[1]
    assert opened.errors == []
