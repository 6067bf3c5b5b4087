"""The published pages in a real browser (Chromium), with every network request refused: no
console error, nothing fetched but the pack's own files, every chart drawn with marks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reports.packs.render import PAGE
from tests.browser import chromium, drawn_charts, open_offline
from tests.reports.pack_fixture import Published

pytestmark = [pytest.mark.lent, pytest.mark.navigateur]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as opened:
        yield opened


def test_every_pack_draws_every_chart_offline(browser: object, published: Published) -> None:
    for folder in published.folders():
        charts, problems = drawn_charts(browser, folder / PAGE)
        html = (folder / PAGE).read_text(encoding="utf-8")
        figures, empty = html.count('<figure class="graphique"'), html.count("graphique-vide")
        assert len(charts) == figures - empty and len(charts) >= 4, (figures, empty, charts)
        assert html.count('<p class="graphique-vide"><strong>') == empty  # says which chart
        assert all(drawn == "oui" and marks > 0 for _, drawn, marks in charts), charts
        assert problems == []


def test_the_page_uses_the_marianne_font(browser: object, published: Published) -> None:
    page, problems = open_offline(browser, published.department_folder("77") / PAGE)
    fonts = page.evaluate(  # type: ignore[attr-defined]
        "() => document.fonts.ready.then(() => [...document.fonts]"
        ".filter(f => f.status === 'loaded').map(f => f.family))"
    )
    assert any("Marianne" in f for f in fonts) and problems == []
    page.close()  # type: ignore[attr-defined]


def test_the_index_page_opens_offline(browser: object, published: Published) -> None:
    page, problems = open_offline(browser, published.outputs / PAGE)
    page.wait_for_load_state("load")  # type: ignore[attr-defined]
    links = page.eval_on_selector_all("a[href$='index.html']", "els => els.map(e => e.href)")  # type: ignore[attr-defined]
    assert len(links) >= 3 and problems == []
    page.close()  # type: ignore[attr-defined]
