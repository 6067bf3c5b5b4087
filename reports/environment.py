"""The Jinja2 environment of every published page: French formats as filters, HTML escaped."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from pipelines.codes import delivery_statuses
from reports import formatting

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def template_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        nombre=formatting.number,
        pourcent=formatting.percent,
        jour=formatting.day,
        jour_long=formatting.long_day,
        mois=formatting.month,
        periode=formatting.period,
        chaine_css=css_string,
    )
    # Every page colours delivery states from the code list (_dsfr_base.html.j2).
    env.globals["statuts_livraison"] = delivery_statuses()
    return env


def css_string(text: str) -> Markup:
    """Text (HTML-escaped or not) as a quoted CSS string on one line, for a <style> element,
    whose content HTML does not unescape: `content: "…"`."""
    plain = " ".join(Markup(text).striptags().split())
    escaped = plain.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return Markup(f'"{escaped}"')
