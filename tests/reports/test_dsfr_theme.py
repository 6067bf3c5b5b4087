"""The vendored DSFR files and the chart theme taken from them (colours, Marianne, French formats)."""

from __future__ import annotations

import asyncio
import re

import altair as alt
import polars as pl
import pytest

from reports import charts, theme
from reports.packs import render
from reports.theme import DSFR_DIR

CORE = (DSFR_DIR / "css" / "core.min.css").read_text(encoding="utf-8")
VARIABLES = {
    theme.BLUE_FRANCE: "--blue-france-sun-113-625",
    theme.RED_MARIANNE: "--red-marianne-main-472",
    **{colour: f"--{name}-main-" for name, colour in theme.ILLUSTRATIVE.items()},
}


def test_the_vendored_dsfr_is_small_versioned_and_licensed() -> None:
    files = [p for p in DSFR_DIR.rglob("*") if p.is_file()]
    assert all(p.stat().st_size < 5_000_000 for p in files)
    assert sum(p.stat().st_size for p in files) < 1_500_000
    assert "DSFR v1.15.3" in CORE
    readme = (DSFR_DIR / "README.md").read_text(encoding="utf-8")
    assert "1.15.3" in readme and "services de l'État" in readme
    assert (DSFR_DIR / "LICENSE.md").is_file() and (DSFR_DIR / "CGU.md").is_file()
    assert {p.name for p in theme.font_files()} >= {"Marianne-Regular.woff2", "Marianne-Bold.woff2"}


def test_chart_colours_are_the_dsfr_colours() -> None:
    for colour, variable in VARIABLES.items():
        assert re.search(re.escape(variable) + r"[0-9]*:" + colour, CORE), (variable, colour)
    assert theme.theme_config()["config"]["range"]["category"][0] == theme.BLUE_FRANCE


async def _drawn(specs: dict[str, dict]) -> dict[str, str]:
    async with render.printers(1) as [printer]:
        return await printer.draw(specs)


@pytest.mark.navigateur
def test_charts_speak_french_in_marianne() -> None:
    """Drawn as the PDF draws them: French numbers, Marianne, none of Vega's English ARIA labels
    (the page names the drawing in French around it)."""
    data = pl.DataFrame(
        {
            "periode": ["2025-S2", "2026-S1"],
            "serie": ["France"] * 2,
            "valeur": [1350.0, 2700.0],
            "texte": ["1 350", "2 700"],
        }
    )
    rates = data.with_columns(pl.Series("valeur", [0.125, 0.25]))
    svgs = asyncio.run(
        _drawn(
            {
                "nombres": charts.spec(charts.trend(data, title="Entrées", series=["France"])),
                "taux": charts.spec(
                    charts.trend(rates, title="Taux", series=["France"], percent=True)
                ),
            }
        )
    )
    assert "1\u202f500" in svgs["nombres"] or "2\u202f000" in svgs["nombres"]
    assert 'font-family="Marianne"' in svgs["nombres"]
    assert "20\u202f%" in svgs["taux"]
    # semesters as the tables say them, on two lines, not « 2026-S1 »
    assert '<tspan>1er sem.</tspan><tspan x="0" dy="13">2026</tspan>' in svgs["nombres"]
    assert "2e sem." in svgs["nombres"] and "2026-S1" not in svgs["nombres"]
    aria = re.findall(r'(?:aria-(?!hidden)[a-z]+|role)="[^"]*"', svgs["nombres"])
    assert aria == [] and svgs["nombres"].startswith('<svg aria-hidden="true"')


def test_the_theme_is_an_altair_theme() -> None:
    assert theme.THEME in alt.theme.names()
    with alt.theme.enable(theme.THEME):
        spec = alt.Chart(alt.Data(values=[{"x": 1}])).mark_point().encode(x="x:Q").to_dict()
    assert spec["config"]["font"] == "Marianne"
    assert spec["config"]["locale"]["number"]["decimal"] == ","
