"""Debian's Chromium driven by Playwright, with every network request refused (packs, dashboard),
and the accessibility checks run in it (text contrast, skip link).

Missing Chromium is a failure, not a skip: `.ci/run` installs it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from reports.chromium import ARGS, CHROMIUM

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


# Each visible text element whose contrast with the background behind it is under WCAG's AA
# minimum: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
LOW_CONTRAST = """() => {
  const rgba = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const behind = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const failures = [];
  const seen = new Set();
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (texts.nextNode()) {
    const element = texts.currentNode.parentElement;
    if (!texts.currentNode.textContent.trim() || seen.has(element)) continue;
    seen.add(element);
    const style = getComputedStyle(element);
    if (element.closest("svg, script, style, details:not([open]) > :not(summary)")) continue;
    if (style.visibility === "hidden" || !element.getClientRects().length) continue;
    const [light, dark] = [luminance(rgba(style.color)), luminance(behind(element))].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) failures.push(`« ${element.textContent.trim().slice(0, 30)} » : ${ratio.toFixed(2)}:1`);
  }
  return failures;
}"""


def low_contrast(page: object) -> list[str]:
    return page.evaluate(LOW_CONTRAST)  # type: ignore[attr-defined]


def skip_link_target(page: object) -> tuple[str, str]:
    """The first element the keyboard reaches: its link target and its text."""
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    return tuple(  # type: ignore[return-value]
        page.evaluate(  # type: ignore[attr-defined]
            "() => [document.activeElement.getAttribute('href') || '', "
            "document.activeElement.textContent.trim()]"
        )
    )
