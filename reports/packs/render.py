"""Rendering a pack from its dataset: one folder that opens offline, and its zip.

The HTML page links its own copy of the DSFR files (`assets/`) and inlines the Vega bundle once;
the PDF is the same template with the charts as SVG drawn by vl-convert, laid out by WeasyPrint
with the same Marianne files.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports import charts, formatting
from reports.environment import template_environment
from reports.packs import departmental, national
from reports.packs.dataset import DEPARTMENT, NATIONAL, PackDataset
from reports.theme import DSFR_DIR
from reports.vega import vega_bundle

STATIC = Path(__file__).resolve().parent / "static"
ASSETS = "assets"
DSFR_STYLESHEETS = tuple(
    f"dsfr/css/{name}.min.css"
    for name in ("core", "header", "footer", "logo", "table", "badge", "callout")
)
STYLESHEETS = (*DSFR_STYLESHEETS, "iae.css")
PAGE = "index.html"
CHART_SCHEME = "graphique"
PDF = "rapport.pdf"


@dataclass(frozen=True)
class Layout:
    template: str
    context: Callable[[PackDataset], dict[str, object]]


LAYOUTS = {
    DEPARTMENT: Layout("copil/departement.html.j2", departmental.context),
    NATIONAL: Layout("copil/national.html.j2", national.context),
}


@cache
def _print_styles() -> tuple[FontConfiguration, list[CSS]]:
    """Parsed once a process: the PDF's stylesheets and the font configuration they load."""
    fonts = FontConfiguration()
    sheets = [CSS(filename=str(STATIC / n), font_config=fonts) for n in ("print.css", "iae.css")]
    return fonts, sheets


def page_context(dataset: PackDataset) -> dict[str, object]:
    """The template's context: the pack's own, plus what every pack states."""
    periods = sorted(dataset.figures["periode"].unique().to_list())
    return {
        **LAYOUTS[dataset.kind].context(dataset),
        "couverture": f"du {formatting.period(periods[0])} au {formatting.period(dataset.period)}",
    }


def _page(dataset: PackDataset, context: dict[str, object], **medium: object) -> str:
    """The pack's template with its context and what the medium (web or PDF) needs."""
    return (
        template_environment()
        .get_template(LAYOUTS[dataset.kind].template)
        .render(**context, **medium)
    )


def render_html(dataset: PackDataset, context: dict[str, object]) -> str:
    """The web page: DSFR stylesheets under assets/, Vega inlined, charts drawn in the browser."""
    specs = {key: chart.spec for key, chart in context["graphiques"].items()}
    return _page(
        dataset,
        context,
        mode="web",
        assets=ASSETS,
        feuilles=STYLESHEETS,
        vega=vega_bundle(),
        specs=specs,
        svgs={},
    )


class _PackFetcher(URLFetcher):
    """What the PDF may load: the pack's files and its charts (`graphique:<id>`, SVG drawn by
    vl-convert), never the network."""

    def __init__(self, drawings: dict[str, str]) -> None:
        super().__init__(allowed_protocols={"file", "data", CHART_SCHEME}, fail_on_errors=True)
        self._drawings = drawings

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith(f"{CHART_SCHEME}:"):
            svg = self._drawings[url.removeprefix(f"{CHART_SCHEME}:")]
            return URLFetcherResponse(url, svg, {"Content-Type": "image/svg+xml"})
        return super().fetch(url, headers)


def render_pdf(dataset: PackDataset, context: dict[str, object]) -> bytes:
    """The PDF: the same page with SVG charts, laid out by WeasyPrint.

    The charts are drawn first, one after the other: vl-convert keeps the GIL while it draws, so
    a drawing thread would not overlap the layout.
    """
    drawings = {key: charts.svg(chart.spec) for key, chart in context["graphiques"].items()}
    page = _page(
        dataset,
        context,
        mode="pdf",
        assets="",
        feuilles=(),
        vega="",
        specs={},
        svgs={key: f"{CHART_SCHEME}:{key}" for key in drawings},
    )
    fonts, sheets = _print_styles()
    document = HTML(string=page, base_url=str(STATIC), url_fetcher=_PackFetcher(drawings))
    return document.write_pdf(stylesheets=sheets, font_config=fonts)


def copy_assets(target: Path) -> None:
    """The DSFR files a page links (stylesheets, Marianne, licence and terms) and our own CSS."""
    for name in DSFR_STYLESHEETS:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DSFR_DIR / name.removeprefix("dsfr/"), destination)
    shutil.copytree(DSFR_DIR / "fonts", target / "dsfr" / "fonts", dirs_exist_ok=True)
    for name in ("LICENSE.md", "CGU.md", "README.md"):
        shutil.copyfile(DSFR_DIR / name, target / "dsfr" / name)
    shutil.copyfile(STATIC / "iae.css", target / "iae.css")


def write_pack(dataset: PackDataset, folder: Path) -> None:
    """index.html, rapport.pdf and assets/ into `folder` (an empty staging folder)."""
    context = page_context(dataset)
    (folder / PAGE).write_text(render_html(dataset, context), encoding="utf-8")
    (folder / PDF).write_bytes(render_pdf(dataset, context))
    copy_assets(folder / ASSETS)


def zip_folder(folder: Path, archive: Path, root: str) -> None:
    """Zip the files of `folder` under the folder name `root`."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, f"{root}/{path.relative_to(folder)}")
