"""The layout checks themselves (tests/layout.py) refuse what a secretary could not send, and the
pages outside the packs (quality reports, register) fit the screen and read well."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from reports.packs import render
from reports.quality import RunInfo
from reports.register import render_register
from tests.browser import chromium, low_contrast, open_offline, skip_link_target
from tests.conftest import DemoRun
from tests.layout import (
    Line,
    Page,
    headings_left_behind,
    page_margins,
    page_problems,
    pdf_problems,
    wide_tables,
)

pytestmark = pytest.mark.navigateur

HEAD = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Essai</title>'
    + "".join(f'<link rel="stylesheet" href="assets/{f}">' for f in render.STYLESHEETS)
    + "</head><body><main>"
)
FILLING = "<p>" + "Texte de remplissage d'un dossier de comité de pilotage. " * 40 + "</p>"
PAGES = {
    "titre_seul": f'<h1>Dossier</h1>{FILLING * 3}<h2 style="break-before: page">Sites</h2>',
    "note_seule": f'<h1>Dossier</h1>{FILLING * 3}<p class="note" style="break-before: page">« secret » : masqué.</p>',
    "tableau_large": (
        f"<h1>Dossier</h1>{FILLING}<table style='width: 280mm'><caption>Trop large</caption><tr>"
        + "".join(f"<td>Colonne{i}</td>" for i in range(25))
        + f"</tr></table>{FILLING}"
    ),
    "texte_dans_la_marge": f"<h1>Dossier</h1>{FILLING}<p style='margin-left: -12mm'>Hors marge</p>",
    "bonne_page": f"<h1>Dossier</h1>{FILLING * 2}",
}


async def _print_all(folder: Path) -> dict[str, list[str]]:
    """Each crafted page printed by the packs' printer: its PDF's problems and what overflowed."""
    found = {}
    async with render.printers(1) as [printer]:
        for name, body in PAGES.items():
            printed = await printer.print(f"{HEAD}{body}</main></body></html>")
            pdf = folder / f"{name}.pdf"
            pdf.write_bytes(printed.pdf)
            found[name] = pdf_problems(pdf) + [f"déborde : {o}" for o in printed.overflowing]
    return found


def test_the_pdf_check_refuses_stray_headings_notes_and_what_passes_the_margins(
    tmp_path: Path,
) -> None:
    found = asyncio.run(_print_all(tmp_path))
    assert found["titre_seul"] == ["page 2 : ne porte que « Sites »"]
    assert [p.startswith("page 2 : ne porte que « « secret »") for p in found["note_seule"]] == [
        True
    ]
    assert found["tableau_large"] == ["déborde : Trop large"]
    assert found["texte_dans_la_marge"] == ["déborde : Hors marge"]
    assert found["bonne_page"] == []


def test_the_pdf_check_refuses_words_past_the_printable_box() -> None:
    """Chromium cuts what passes a page's content box, but not what passes its margin boxes (the
    footer): word boxes past the margins are refused."""
    top, right, bottom, left = page_margins()
    width, height = 595.0, 842.0
    body = [Line(f"ligne {n}", left, top + 20 * n, left + 200, top + 20 * n + 10) for n in range(8)]
    footer = Line(
        "Dossier, pied de page", left, height - bottom + 8, width - right + 30, height - 8
    )
    assert page_problems(Page(1, width, height, body), (top, right, bottom, left)) == []
    assert page_problems(Page(1, width, height, [*body, footer]), (top, right, bottom, left)) == [
        "page 1 : « Dossier, pied de page » dépasse la zone imprimable"
    ]


def test_the_pdf_check_refuses_a_section_heading_left_at_the_foot_of_a_page() -> None:
    """« Situation après la libération » and its two-line introduction at the foot of page 4, its
    table on page 5: refused; with its table's first rows under it, or on the last page, passed."""
    margins = page_margins()
    top, _, _, left = margins

    def page(number: int, texts: list[str]) -> Page:
        """Lines 10 points high, 13 for the heading (a larger type)."""
        lines = [
            Line(t, left, top + 14 * n, left + 300, top + 14 * n + (13 if t == heading else 10))
            for n, t in enumerate(texts)
        ]
        return Page(number, 595.0, 842.0, lines)

    heading = "Situation après la libération"
    filling = [f"ligne {n}" for n in range(30)]
    intro = ["Parmi les personnes libérées avec une mesure de suivi,", "la part dont la situation"]
    table = [
        "Situation des personnes libérées",
        "Indicateur 2026 2025",
        "Suivis 12 10",
        "Connue 8 7",
    ]
    left_behind = [page(4, [*filling, heading, *intro]), page(5, table)]
    kept = [page(4, [*filling, heading, *intro, *table]), page(5, filling)]
    assert headings_left_behind(left_behind, margins, [heading]) == [
        "page 4 : « Situation après la libération » en bas de page"
    ]
    assert headings_left_behind(kept, margins, [heading]) == []
    assert headings_left_behind(left_behind[:1], margins, [heading]) == []
    # the same words in a chart's legend, in small type, are no heading
    legend = [page(2, [*filling, "Taux", *intro]), page(3, table)]
    assert headings_left_behind(legend, margins, ["Taux"]) == []


def test_the_screen_check_refuses_a_table_wider_than_its_column(tmp_path: Path) -> None:
    page_path = tmp_path / "large.html"
    table = "".join(f"<td>Colonne{i}</td>" for i in range(60))
    page_path.write_text(
        f"<main><table><caption>Large</caption><tr>{table}</tr></table>"
        "<table><caption>Étroit</caption><tr><td>1</td></tr></table></main>",
        encoding="utf-8",
    )
    with chromium() as browser:
        page, _ = open_offline(browser, page_path)
        wide = wide_tables(page)
    assert len(wide) == 2 and wide[0].startswith("Large (") and "défile" in wide[1]


@pytest.mark.lent
def test_quality_and_register_pages_fit_the_screen_and_read_well(
    demo_run: DemoRun, tmp_path: Path
) -> None:
    outputs = demo_run.settings.outputs
    run = RunInfo("essai", "30/06/2026", "v", "27/11/2026 12:00")
    register = render_register(demo_run.settings, run, tmp_path / "registre")
    site_page = next((outputs / "qualite").glob("*/*.html"))
    with chromium() as browser:
        for path in (outputs / "qualite" / "index.html", site_page, register):
            page, problems = open_offline(browser, path)
            assert wide_tables(page) == [], path
            assert low_contrast(page) == [], path
            assert skip_link_target(page) == ("#contenu", "Aller au contenu")
            assert problems == []
            page.close()  # type: ignore[attr-defined]
