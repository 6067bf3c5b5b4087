"""Render the generated documentation pages and rewrite those that changed (`make docs`)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipelines.documentation.exports import exports_context
from pipelines.documentation.indicators import indicators_context
from pipelines.paths import PROJECT_ROOT

DOCS_DIR = PROJECT_ROOT / "docs"
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Generated page → the context its template (same name + .j2) is rendered with.
PAGES: dict[str, Callable[[], dict[str, Any]]] = {
    "exports.md": exports_context,
    "indicateurs.md": indicators_context,
}


_ANGLED = re.compile(r"[^\s<>`]*(?:<[^<>\s]+>[^\s<>`]*)+")


def _as_code(match: re.Match[str]) -> str:
    token = match.group(0)
    bare = token.rstrip(".,;:)")
    return f"`{bare}`{token[len(bare) :]}"


def markdown_text(text: object) -> str:
    """Prose from the sources as Markdown: one line, and a name pattern such as
    `<code_site>_<type>_<période>` shown as code rather than read as an HTML tag."""
    return _ANGLED.sub(_as_code, " ".join(str(text).split()))


def table_cell(text: object) -> str:
    """Prose that stays in one Markdown table cell: `markdown_text` with its pipes escaped."""
    return markdown_text(text).replace("|", "\\|")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,  # Markdown, not HTML
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(texte=markdown_text, cellule=table_cell)
    return env


def render_pages() -> dict[Path, str]:
    """Each generated page's path and the text its sources give today."""
    env = _environment()
    return {DOCS_DIR / name: env.get_template(f"{name}.j2").render(**context()) for name, context in PAGES.items()}


def _write(path: Path, text: str) -> None:
    staging = path.with_name(f".{path.name}.tmp")
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, path)


def main() -> None:
    DOCS_DIR.mkdir(exist_ok=True)
    for path, text in render_pages().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        name = path.relative_to(PROJECT_ROOT)
        if current == text:
            print(f"{name} : à jour")
        else:
            _write(path, text)
            print(f"{name} : réécrit")


if __name__ == "__main__":
    main()
