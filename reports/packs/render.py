"""Rendering a pack from its dataset: one folder that opens offline, and its zip.

The web page links its own copy of the DSFR files (`assets/`) and draws its charts with Vega in
the reader's browser. The PDF is the same template printed by Chromium: its charts drawn once as
SVG by the same Vega in a page kept warm for the batch, written into the page, which is then
printed with the same stylesheets and Marianne files (and the print rules of iae.css).
"""

from __future__ import annotations

import base64
import shutil
import tempfile
import zipfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Browser, Page

from reports import chromium, formatting
from reports.environment import template_environment
from reports.packs import departmental, national
from reports.packs.dataset import DEPARTMENT, NATIONAL, PackDataset
from reports.theme import DSFR_DIR, font_files
from reports.vega import vega_bundle

STATIC = Path(__file__).resolve().parent / "static"
ASSETS = "assets"
DSFR_STYLESHEETS = tuple(
    f"dsfr/css/{name}.min.css"
    for name in ("core", "header", "footer", "logo", "table", "badge", "callout")
)
STYLESHEETS = (*DSFR_STYLESHEETS, "iae.css")
PAGE = "index.html"
PDF = "rapport.pdf"
# Draws each Vega-Lite spec to SVG (no renderer: nothing is shown), in the order given, without
# Vega's English roles: the element around the drawing names it in French (role="img").
DRAW = """async (specs) => {
  const drawings = {};
  for (const [key, spec] of Object.entries(specs)) {
    const result = await vegaEmbed(document.createElement("div"), spec, {renderer: "none", actions: false});
    const svg = await result.view.toSVG();
    drawings[key] = svg.replace(/ (role|aria-roledescription|aria-label)="[^"]*"/g, "").replace("<svg ", '<svg aria-hidden="true" ');
    result.finalize();
  }
  return drawings;
}"""
FONTS_READY = "document.fonts.ready.then(() => document.fonts.size)"
# The width of a page's printable box in CSS pixels: A4 less the 13 mm side margins of iae.css,
# portrait, or landscape for what sits in a `.paysage` block.
MM_PX = 96 / 25.4
PRINT_WIDTHS = {"portrait": (210 - 26) * MM_PX, "paysage": (297 - 26) * MM_PX}
# What passes the sides of its page once laid out for print: Chromium would shrink the whole
# document to fit it, or cut what passes the left edge; the publication records it (and the
# tests refuse it).
OVERFLOWING = """(widths) => [...document.querySelectorAll("main table, main figure, main p, main h1, main h2, main h3, main li")]
  .filter((e) => {
    const box = e.getBoundingClientRect();
    return box.left < -1 || box.right > (e.closest(".paysage") ? widths.paysage : widths.portrait) + 1;
  })
  .map((e) => (e.querySelector("caption") || e).textContent.trim().replace(/\\s+/g, " ").slice(0, 80))"""


@dataclass(frozen=True)
class Layout:
    template: str
    context: Callable[[PackDataset], dict[str, object]]


LAYOUTS = {
    DEPARTMENT: Layout("copil/departement.html.j2", departmental.context),
    NATIONAL: Layout("copil/national.html.j2", national.context),
}


def page_context(dataset: PackDataset) -> dict[str, object]:
    """The template's context: the pack's own, plus what every pack states."""
    periods = sorted(dataset.figures["periode"].unique().to_list())
    return {
        **LAYOUTS[dataset.kind].context(dataset),
        "couverture": _coverage(periods[0], dataset.period),
    }


def _coverage(first: str, last: str) -> str:
    """« du 1er semestre 2019 au 1er semestre 2026 », « de 2016 à 2025 »."""
    if first == last:
        return formatting.period(last)
    if "-S" in last:
        return f"du {formatting.period(first)} au {formatting.period(last)}"
    return f"de {first} à {last}"


def _page(dataset: PackDataset, context: dict[str, object], **medium: object) -> str:
    """The pack's template with its context and what the medium (web or PDF) needs."""
    return (
        template_environment()
        .get_template(LAYOUTS[dataset.kind].template)
        .render(**context, **medium, assets=ASSETS, feuilles=STYLESHEETS)
    )


def chart_specs(context: dict[str, object]) -> dict[str, dict]:
    graphiques = context["graphiques"].items()  # type: ignore[attr-defined]
    return {key: chart.spec for key, chart in graphiques if not chart.vide}


def render_html(dataset: PackDataset, context: dict[str, object]) -> str:
    """The web page: Vega inlined, charts drawn in the reader's browser."""
    return _page(
        dataset, context, mode="web", vega=vega_bundle(), specs=chart_specs(context), svgs={}
    )


def render_print(dataset: PackDataset, context: dict[str, object], svgs: dict[str, str]) -> str:
    """The page Chromium prints: the charts already drawn, no script."""
    return _page(dataset, context, mode="pdf", vega="", specs={}, svgs=svgs)


def _font_faces() -> str:
    """Marianne for the drawing page, inlined: Vega measures its labels with the real font."""
    weights = {"Regular": 400, "Medium": 500, "Bold": 700}
    faces = [
        (weights[path.stem.split("-")[1]], base64.b64encode(path.read_bytes()).decode())
        for path in font_files()
    ]
    return "".join(
        f"@font-face{{font-family:Marianne;font-weight:{weight};"
        f"src:url(data:font/woff2;base64,{data})}}"
        for weight, data in faces
    )


@dataclass(frozen=True)
class Printed:
    """A printed PDF, and what was wider than its page (Chromium shrank the pages to fit it)."""

    pdf: bytes
    overflowing: list[str]


@dataclass
class Printer:
    """One lane of a batch: a warm page that draws charts and a page that prints, in a browser
    context of their own (its own renderer processes, so lanes run on different cores).

    The printed pages are written into the batch's folder, beside one copy of the assets: every
    page links the same stylesheets and fonts, which Chromium then reads once per lane."""

    folder: Path
    drawing: Page
    printing: Page

    async def draw(self, specs: dict[str, dict]) -> dict[str, str]:
        return await self.drawing.evaluate(DRAW, specs)

    async def print(self, page: str) -> Printed:
        printed = self.folder / f"{id(self)}.html"
        printed.write_text(page, encoding="utf-8")
        try:
            await self.printing.goto(printed.as_uri())
            await self.printing.evaluate(FONTS_READY)
            overflowing = await self.printing.evaluate(OVERFLOWING, PRINT_WIDTHS)
            pdf = await self.printing.pdf(
                prefer_css_page_size=True, print_background=True, tagged=True, outline=True
            )
        finally:
            printed.unlink()
        return Printed(pdf, overflowing)


async def _printer(browser: Browser, folder: Path) -> Printer:
    context = await chromium.offline_context(browser)
    drawing = await context.new_page()
    fonts = _font_faces()
    await drawing.set_content(f"<!DOCTYPE html><html><head><style>{fonts}</style></head></html>")
    await drawing.add_script_tag(content=vega_bundle())
    await drawing.evaluate(
        "Promise.all([400, 500, 700].map((w) => document.fonts.load(w + ' 11px Marianne')))"
    )
    printing = await context.new_page()
    # Laid out as printed, one portrait page wide: what overflows shows before printing.
    await printing.emulate_media(media="print")
    await printing.set_viewport_size({"width": round(PRINT_WIDTHS["portrait"]), "height": 1100})
    return Printer(folder, drawing, printing)


@asynccontextmanager
async def printers(lanes: int) -> AsyncIterator[list[Printer]]:
    """`lanes` printers sharing one Chromium and one folder of assets, for the time of a batch."""
    with tempfile.TemporaryDirectory(prefix="iae-impression-") as folder:
        copy_assets(Path(folder) / ASSETS)
        async with chromium.launched() as browser:
            yield [await _printer(browser, Path(folder)) for _ in range(max(lanes, 1))]


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


async def write_pack(dataset: PackDataset, folder: Path, printer: Printer) -> list[str]:
    """index.html, rapport.pdf and assets/ into `folder` (an empty staging folder); returns
    what was too wide for the printed page."""
    context = page_context(dataset)
    (folder / PAGE).write_text(render_html(dataset, context), encoding="utf-8")
    copy_assets(folder / ASSETS)
    svgs = await printer.draw(chart_specs(context))
    printed = await printer.print(render_print(dataset, context, svgs))
    (folder / PDF).write_bytes(printed.pdf)
    return printed.overflowing


def zip_folder(folder: Path, archive: Path, root: str) -> None:
    """Zip the files of `folder` under the folder name `root`."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, f"{root}/{path.relative_to(folder)}")
