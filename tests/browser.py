"""Debian's Chromium driven by Playwright, with every network request refused (packs, dashboard).

Missing Chromium is a failure, not a skip: `.ci/run` installs it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path(os.environ.get("IAE_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MARKS = "svg .mark-line path, svg .mark-symbol path, svg .mark-rect path, svg .mark-rule line"


@contextmanager
def chromium() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"Chromium introuvable : {CHROMIUM} (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def open_offline(browser: object, page_path: Path) -> tuple[object, list[str]]:
    """The page loaded with only file: and data: URLs allowed; console errors, failed and
    refused requests collected."""
    page = browser.new_page()  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"échec : {r.url}"))

    def route(r: object) -> None:
        if r.request.url.startswith(("file:", "data:")):  # type: ignore[attr-defined]
            r.continue_()  # type: ignore[attr-defined]
        else:
            problems.append(f"réseau : {r.request.url}")  # type: ignore[attr-defined]
            r.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.goto(page_path.as_uri())
    return page, problems


def drawn_charts(browser: object, page_path: Path) -> tuple[list[tuple[str, str, int]], list[str]]:
    """Each chart's id, whether Vega drew it, and its marks; and the page's problems."""
    page, problems = open_offline(browser, page_path)
    page.wait_for_selector("body[data-graphiques=dessines]", timeout=30_000)  # type: ignore[attr-defined]
    charts = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "[data-graphique]",
        f"els => els.map(e => [e.id, e.dataset.dessine, e.querySelectorAll('{MARKS}').length])",
    )
    page.close()  # type: ignore[attr-defined]
    return [tuple(c) for c in charts], problems
