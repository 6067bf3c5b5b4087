"""Layout checks of what a COPIL secretary sends: the PDF pages (poppler's word boxes) and the
web pages at 1366 px (Chromium).

A PDF page fails when its text goes beyond the printable box (the @page margins of iae.css, the
footer allowed in the bottom margin), when the ink of its body is only a heading or a note (a
single line, or a few lines within a sliver of the page), or when it ends on a section heading
whose content starts on the next page.
"""

from __future__ import annotations

import html
import re
import statistics
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from reports.packs.render import STATIC

MM = 72 / 25.4
TOLERANCE = 4.0  # points: a glyph box (Marianne's tall ascent) overshoots its ink
# A page whose body text holds in so few lines over so little height is a stray heading or note.
STRAY_LINES = 4
STRAY_HEIGHT = 0.12
# A heading's line is at least this much taller than the page's median line (h3: 1.2 rem).
HEADING_SCALE = 1.1
SCREEN_WIDTH = 1366
_NS = "{http://www.w3.org/1999/xhtml}"


def page_margins() -> tuple[float, float, float, float]:
    """The printed pages' margins (top, right, bottom, left) in points, read from iae.css (CSS
    shorthand: one to four values)."""
    css = (STATIC / "iae.css").read_text(encoding="utf-8")
    found = re.search(r"@page\s*\{[^@}]*?margin:\s*([^;]+);", css[css.index("@media print") :])
    assert found, "iae.css : marges de @page introuvables"
    v = [float(value.removesuffix("mm")) * MM for value in found.group(1).split()]
    n = len(v)
    return v[0], v[min(1, n - 1)], v[2 % n if n > 2 else 0], v[3 if n > 3 else min(1, n - 1)]


@dataclass(frozen=True)
class Line:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]


def pdf_pages(pdf: Path) -> list[Page]:
    """Every page's size and text lines with their boxes (poppler's `pdftotext -bbox-layout`)."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ET.fromstring(xhtml)
    pages = []
    for number, page in enumerate(root.iter(f"{_NS}page"), start=1):
        lines = [
            Line(
                " ".join(w.text or "" for w in line.iter(f"{_NS}word")),
                *(float(line.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax")),
            )
            for line in page.iter(f"{_NS}line")
        ]
        pages.append(Page(number, float(page.get("width", 0)), float(page.get("height", 0)), lines))
    return pages


def page_problems(page: Page, margins: tuple[float, float, float, float]) -> list[str]:
    """What a secretary could not send on this page: text past the printable box, or a body
    that is only a heading or a note."""
    top, right, bottom, left = margins
    body_bottom = page.height - bottom
    problems = [
        f"page {page.number} : « {line.text[:40]} » dépasse la zone imprimable"
        for line in page.lines
        if line.x_min < left - TOLERANCE
        or line.x_max > page.width - right + TOLERANCE
        or line.y_min < top - TOLERANCE
        or line.y_max > page.height - TOLERANCE
    ]
    body = [line for line in page.lines if line.y_max <= body_bottom + TOLERANCE]
    extent = max((b.y_max for b in body), default=0) - min((b.y_min for b in body), default=0)
    stray = len(body) <= 1 or (
        len(body) <= STRAY_LINES and extent < STRAY_HEIGHT * (body_bottom - top)
    )
    if stray:
        shown = " / ".join(line.text[:40] for line in body) or "rien"
        problems.append(f"page {page.number} : ne porte que « {shown} »")
    return problems


def pdf_problems(pdf: Path, headings: Collection[str] = ()) -> list[str]:
    """What a secretary could not send in a PDF; `headings`: the texts of its page's headings."""
    margins = page_margins()
    pages = pdf_pages(pdf)
    return [
        *(problem for page in pages for problem in page_problems(page, margins)),
        *headings_left_behind(pages, margins, headings),
    ]


def headings_of(page_html: str) -> list[str]:
    """The text of every section heading (h2, h3) of an HTML page, as a PDF line reads it (an
    h4 heads one item of a list, such as the glossary's themes)."""
    found = re.findall(r"<h[23][^>]*>(.*?)</h[23]>", page_html, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", h)).split()) for h in found]


def headings_left_behind(
    pages: list[Page], margins: tuple[float, float, float, float], headings: Collection[str]
) -> list[str]:
    """A section heading at the foot of a page, with at most its introduction under it: what it
    announces starts on the next page. A heading's line is taller than the page's usual line (a
    chart's legend may repeat its words in small type)."""
    body_bottom = pages[0].height - margins[2] if pages else 0
    problems = []
    for page in pages[:-1]:
        body = [line for line in page.lines if line.y_max <= body_bottom + TOLERANCE]
        usual = statistics.median(line.y_max - line.y_min for line in body) if body else 0
        last = max(
            (
                i
                for i, line in enumerate(body)
                if line.text in headings and line.y_max - line.y_min > HEADING_SCALE * usual
            ),
            default=None,
        )
        if last is not None and len(body) - last - 1 < STRAY_LINES:
            problems.append(f"page {page.number} : « {body[last].text[:40]} » en bas de page")
    return problems


# Tables wider than the page's main column, and a page wider than the window.
WIDE_TABLES = """() => {
  const main = document.querySelector("main") || document.body;
  const right = main.getBoundingClientRect().right + 1;
  const wide = [...document.querySelectorAll("table")]
    .filter((t) => t.getClientRects().length && t.getBoundingClientRect().right > right)
    .map((t) => (t.caption ? t.caption.textContent : t.id || "tableau").trim().slice(0, 60)
      + ` (${Math.round(t.getBoundingClientRect().width)} px)`);
  if (document.documentElement.scrollWidth > window.innerWidth) wide.push("la page défile en largeur");
  return wide;
}"""


def wide_tables(page: object) -> list[str]:
    """Tables past the main column of a page opened at SCREEN_WIDTH px (Playwright page)."""
    page.set_viewport_size({"width": SCREEN_WIDTH, "height": 900})  # type: ignore[attr-defined]
    return page.evaluate(WIDE_TABLES)  # type: ignore[attr-defined]
