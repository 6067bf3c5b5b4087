"""The published page itself: offline, and no identifier nor unprotected small count in its data."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import dagster as dg

from pipelines.catalog import load_catalog
from pipelines.defs.dashboard import tableau_de_bord
from pipelines.defs.resources import WarehouseResource
from pipelines.warehouse.connection import connect
from tests.dashboards.conftest import Built
from tests.dashboards.dashboard_fixture import SMALL_SITE

HEX_64 = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{64}(?![0-9A-Za-z])")
MAX_PAGE_BYTES = 3_000_000


def _embedded(html: str, element_id: str) -> str:
    found = re.search(
        rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S
    )
    assert found, element_id
    return found.group(1)


def _payload(page: Path) -> dict[str, Any]:
    return json.loads(_embedded(page.read_text(encoding="utf-8"), "donnees"))


def _cells(payload: dict[str, Any]) -> dict[tuple[str, str, str], list]:
    """(zone, période, indicateur) → [valeur, effectif, texte masqué]."""
    return {
        (
            payload["zones"][z]["code"],
            payload["periodes"][p]["code"],
            payload["indicateurs"][i]["id"],
        ): [value, base, None if mask is None else payload["masques"][mask]]
        for z, p, i, value, base, mask in payload["valeurs"]
    }


def test_no_identifier_in_the_page(dashboard_page: Path, dashboard_warehouse: Built) -> None:
    html = dashboard_page.read_text(encoding="utf-8")
    embedded = _embedded(html, "donnees") + _embedded(html, "vues")
    assert not HEX_64.search(html)
    assert not re.search(r"[0-9a-f]{64}", embedded)
    with connect(dashboard_warehouse.settings.warehouse, read_only=True) as con:
        pseudonyms = [r[0] for r in con.sql("SELECT identifiant FROM raw_parcours").fetchall()]
    assert pseudonyms
    assert not [p for p in pseudonyms if p in html]
    assert not [i for i in dashboard_warehouse.identifiers if i in html]


def test_no_small_count_in_the_embedded_data(dashboard_page: Path) -> None:
    payload = _payload(dashboard_page)
    catalog = load_catalog()
    people = [
        i["unite"] == "nombre" and catalog[i["id"]].personnes for i in payload["indicateurs"]
    ]  # counts of sites or prisons are no people and are shown
    counts = [v for _, _, i, v, _, _ in payload["valeurs"] if people[i] and v is not None]
    bases = [b for *_, b, _ in payload["valeurs"] if b is not None]
    assert counts and bases
    assert not [v for v in counts + bases if 1 <= v < 5]
    hidden = [row for row in payload["valeurs"] if row[5] is not None]
    assert hidden
    assert all(value is None and base is None for _, _, _, value, base, _ in hidden)


def test_small_site_counts_are_hidden(dashboard_page: Path) -> None:
    cells = _cells(_payload(dashboard_page))
    assert cells[SMALL_SITE, "2025-S1", "entrees"] == [None, None, "secret"]
    assert cells[SMALL_SITE, "2025-S1", "taux_sortie_emploi_formation"] == [
        None,
        None,
        "effectif insuffisant",
    ]
    assert cells["FR", "2025-S1", "taux_reincarceration_12m"] == [
        None,
        None,
        "pas encore mesurable",
    ]
    # Measurable (both extracts of its window are in), but 2 people re-incarcerated out of the
    # releases: printed beside its base, the rate would give them back.
    assert cells["FR", "2025-S1", "taux_reincarceration_6m"] == [None, None, "secret"]


def test_page_is_offline_and_reasonably_small(dashboard_page: Path) -> None:
    html = dashboard_page.read_text(encoding="utf-8")
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources
    assert not [s for s in sources if "//" in s]
    assert html.count("window.vegaEmbed=") == 1
    assert dashboard_page.stat().st_size < MAX_PAGE_BYTES
    assert (dashboard_page.parent / "ressources" / "tableau_de_bord.js").is_file()
    assert (dashboard_page.parent / "ressources" / "css" / "core.min.css").is_file()


def test_dagster_asset_publishes_the_page(dashboard_warehouse: Built, tmp_path: Path) -> None:
    settings = dashboard_warehouse.settings
    result = dg.materialize(
        [tableau_de_bord],
        resources={
            "warehouse": WarehouseResource(path=str(settings.warehouse)),
            "settings": replace(settings, home=tmp_path),
        },
    )
    assert result.success
    page = tmp_path / "publications" / "tableau_de_bord" / "index.html"
    assert page.is_file()
    metadata = result.asset_materializations_for_node("tableau_de_bord")[0].metadata
    assert metadata["octets"].value == page.stat().st_size


def test_every_catalog_indicator_can_be_compared(dashboard_page: Path) -> None:
    payload = _payload(dashboard_page)
    compared = payload["vues"]["comparaison"]
    assert compared == [i.id for i in load_catalog().indicators]
    embedded = {payload["indicateurs"][i]["id"] for _, _, i, *_ in payload["valeurs"]}
    assert {
        "presents_fin",
        "sorties_emploi_formation",
        "retours_detention_ordinaire",
        "anciennete_mediane_personnel",
        "amenagements_LC",
        "taux_reincarceration_12m_amenagement",
    } <= embedded


def test_every_column_of_the_sites_table_has_site_figures(dashboard_page: Path) -> None:
    """A column no site can fill (an indicator published from the department up) would read
    « – » on every row."""
    page = dashboard_page.read_text(encoding="utf-8")
    table = page[page.index('<table id="tableau-sites">') :]
    columns = re.findall(r'data-indicateur="([^"]+)"', table[: table.index("</table>")])
    payload = _payload(dashboard_page)
    filled = {  # shown, or hidden with its reason
        payload["indicateurs"][i]["id"]
        for z, _, i, *_ in payload["valeurs"]
        if payload["zones"][z]["maille"] == "site"
    }
    assert columns and set(columns) <= filled
