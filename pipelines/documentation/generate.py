"""Render the generated documentation pages and rewrite those that changed (`make docs`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipelines.documentation.exports import exports_context
from pipelines.documentation.indicators import indicators_context
from pipelines.documentation.markdown import markdown_text, table_cell
from pipelines.paths import PROJECT_ROOT

DOCS_DIR = PROJECT_ROOT / "docs"
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Generated page → the context its template (same name + .j2) is rendered with.
PAGES: dict[str, Callable[[], dict[str, Any]]] = {
    "exports.md": exports_context,
    "indicateurs.md": indicators_context,
}


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
    return {
        DOCS_DIR / name: env.get_template(f"{name}.j2").render(**context())
        for name, context in PAGES.items()
    }


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
