"""The dashboard page: one HTML file with its data and the Vega bundle inlined, beside the DSFR files.

The page works offline, from a file share or `python -m http.server`: nothing is fetched from a
network, the Vega bundle is written once in the page, the DSFR styles and fonts are copied beside
it (`ressources/`).
"""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from dashboards import charts, views
from dashboards.data import DashboardData, read_dashboard_data
from dashboards.payload import build_payload
from pipelines.catalog import Catalog, load_catalog
from pipelines.codes import delivery_statuses
from pipelines.settings import Thresholds
from reports.charts import spec
from reports.environment import template_environment
from reports.packs.annexes import methodology
from reports.publishing import publish_folder, write_run
from reports.quality import RunInfo
from reports.theme import DSFR_DIR
from reports.vega import vega_bundle

HERE = Path(__file__).resolve().parent
ASSETS = "ressources"
PAGE = "index.html"
STYLESHEETS = [
    *(f"css/{name}.min.css" for name in ("core", "header", "logo", "footer", "table")),
    "tableau_de_bord.css",
]
FILTERS = [
    ("type", "Type de période"),
    ("periode", "Période"),
    ("disp", "DISP"),
    ("departement", "Département"),
    ("site", "Site"),
]


@cache
def _environment() -> Environment:
    """The publications' environment (French filters, DSFR layout) with this folder's templates first."""
    shared = template_environment()
    return shared.overlay(
        loader=ChoiceLoader([FileSystemLoader(HERE / "templates"), shared.loader])
    )


def _json(value: Any) -> Markup:
    """Compact JSON safe inside a <script> element (`<`, `>`, `&` escaped)."""
    return htmlsafe_json_dumps(value, dumps=json.dumps, separators=(",", ":"), ensure_ascii=False)


def view_specs(catalog: Catalog) -> dict[str, dict]:
    """The Vega-Lite spec of each view, with the publications' DSFR theme, keyed like `#vue-<nom>`."""
    return {
        "tendances": spec(charts.trends_chart([catalog[i] for i in views.TRENDS])),
        "comparaison": spec(
            charts.comparison_chart(
                [catalog[i] for i in views.COMPARISON], views.DEFAULT_COMPARISON
            )
        ),
        "ventilations": spec(
            charts.breakdowns_chart([(group, title) for group, title, *_ in views.BREAKDOWNS])
        ),
        "livraisons": spec(charts.deliveries_chart(delivery_statuses())),
    }


def render_page(data: DashboardData, run: RunInfo, thresholds: Thresholds) -> str:
    """The whole page: layout, figures and specs as JSON, the Vega bundle once."""
    catalog = load_catalog()
    return (
        _environment()
        .get_template("tableau_de_bord.html.j2")
        .render(
            mode="web",
            assets=ASSETS,
            feuilles=STYLESHEETS,
            run=run,
            reference=data.reference,
            catalog_version=catalog.version,
            filters=FILTERS,
            tiles=[catalog[i] for i in views.TILES],
            site_columns=[catalog[i] for i in views.SITE_TABLE],
            per_site=[i.libelle for i in catalog.indicators if i.par_site],
            methodologie=methodology(),
            seuils={"effectif": thresholds.min_count, "denominateur": thresholds.min_denominator},
            vega=vega_bundle(),
            payload=_json(build_payload(data, catalog, delivery_statuses())),
            specs=_json(view_specs(catalog)),
        )
    )


def _copy_assets(folder: Path) -> None:
    """The DSFR styles and fonts, and the page's own script and styles, into `ressources/`."""
    shutil.copytree(DSFR_DIR, folder)
    for path in (HERE / "static").iterdir():
        shutil.copy2(path, folder / path.name)


def publish_dashboard(
    con: duckdb.DuckDBPyConnection, target: Path, run: RunInfo, thresholds: Thresholds
) -> Path:
    """Write the dashboard into `target` atomically; returns the page's path."""
    page = render_page(read_dashboard_data(con, thresholds), run, thresholds)
    with publish_folder(target) as out:
        (out / PAGE).write_text(page, encoding="utf-8")
        _copy_assets(out / ASSETS)
        write_run(out, run.run_id, run.generated_at)
    return target / PAGE
