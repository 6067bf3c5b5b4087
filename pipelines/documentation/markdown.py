"""Writing source text into the generated Markdown pages so that it renders as written."""

from __future__ import annotations

import re

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


def plain_number(value: float) -> str:
    """A bound as French text, without thousands separator (`1940`, `0,5`)."""
    return f"{value:g}".replace(".", ",")
