"""Reading a published page back: the figures it prints (with their keys) and its charts' data."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from pipelines.catalog import load_catalog
from reports.formatting import figure

_SPECS = re.compile(r"const specs = (\{.*?\});\n", re.DOTALL)


class _Cells(HTMLParser):
    """Elements carrying data-indicateur: their attributes and their text."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, str]] = []
        self.texts: list[str] = []
        self._open: dict[str, str] | None = None
        self._tag: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self._tag.append(tag)
        if "data-indicateur" in attributes:
            self._open = {**attributes, "texte": "", "balise": tag}

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open["balise"]:
            self.cells.append(self._open)
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["texte"] += data
        if not self._tag or self._tag[-1] not in ("script", "style"):
            self.texts.append(data)


def figure_cells(page: str) -> list[dict[str, str]]:
    parser = _Cells()
    parser.feed(page)
    return parser.cells


def visible_text(page: str) -> str:
    """The page's text outside scripts and styles."""
    parser = _Cells()
    parser.feed(page)
    return " ".join(parser.texts)


def chart_specs(page: str) -> dict[str, dict]:
    match = _SPECS.search(page)
    return json.loads(match.group(1)) if match else {}


def chart_rows(spec: dict) -> list[dict]:
    """Every inline data row of a (possibly layered) Vega-Lite spec."""
    rows = list(spec.get("data", {}).get("values", []))
    for layer in spec.get("layer", []):
        rows += chart_rows(layer)
    return rows


def is_percent_chart(spec: dict) -> bool:
    return ".0%" in json.dumps(spec)


def misreported(page: str, expected: dict[tuple, dict]) -> list[tuple]:
    """Cells whose text is neither the warehouse value in French nor a reason that holds there.

    `expected`: warehouse rows (sql/reports/figures.sql) by (maille, zone, period, indicator).
    """
    wrong = []
    for cell in figure_cells(page):
        key = (
            cell["data-maille"],
            cell["data-zone"],
            cell["data-periode"],
            cell["data-indicateur"],
        )
        row, text = expected[key], cell["texte"].strip()
        reasons = {
            "secret": row["nature"] in ("effectif", "rapport"),
            "effectif insuffisant": row["denominateur"] is None or row["denominateur"] < 10,
            "pas encore mesurable": row["mesurable"] is False,
            "livraison manquante": row["mesurable"] is False,
            "extrait national manquant": row["mesurable"] is False,
        }
        if not reasons.get(text, text == figure(row["valeur"], row["unite"])):
            wrong.append((key, text))
    return wrong


def small_counts_shown(page: str) -> list[str]:
    """Counts of people from 1 to 4 printed as numbers: in a figure cell, a delivery's rows,
    chart data (counts of sites or prisons are no people and are shown)."""
    small = {"1", "2", "3", "4"}
    catalog = load_catalog()
    found = [
        f"{c['data-indicateur']}={c['texte']}"
        for c in figure_cells(page)
        if not c["texte"].endswith("%")
        and c["texte"].strip() in small
        and catalog[c["data-indicateur"]].personnes
    ]
    found += [
        f"lignes={t}"
        for t in re.findall(r'<td class="nombre lignes">([^<]*)</td>', page)
        if t in small
    ]
    for key, spec in chart_specs(page).items():
        if not is_percent_chart(spec):
            found += [
                f"{key}:{row}"
                for row in chart_rows(spec)
                if any(
                    v is not None and 1 <= v <= 4 for v in (row.get("valeur"), row.get("position"))
                )
            ]
    return found
