"""The look of the State (DSFR) for charts: its palette, the Marianne font, French formats.

Colours are the DSFR's own (variables of the vendored `reports/dsfr/css/core.min.css`, named
after them here); the French number and date formats live in the Vega-Lite config (`locale`), so
a chart formats `1 350` and `12,5 %` the same on the web page and in the PDF. The same Marianne files serve the web page, the page Chromium prints and the page where it
draws the charts, so text is measured and drawn with one font everywhere. Vega's own ARIA labels
(English, raw values) are off: each chart's accessible name is its French description.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import vl_convert

from reports.formatting import NARROW_NBSP

DSFR_DIR = Path(__file__).resolve().parent / "dsfr"
FONT = "Marianne"
THEME = "dsfr"

BLUE_FRANCE = "#000091"  # --blue-france-sun-113-625
RED_MARIANNE = "#e1000f"  # --red-marianne-main-472
TEXT = "#161616"  # --grey-50-1000
TEXT_MENTION = "#666666"  # --grey-425-625
BORDER = "#dddddd"  # --grey-900-175
# DSFR illustrative colours (--<name>-main-<n>), in the order series take them: the zone a page is
# about is always blue France, the comparison (France) the contrasting terre battue.
ILLUSTRATIVE = {
    "orange-terre-battue": "#e4794a",
    "green-menthe": "#009081",
    "purple-glycine": "#a558a0",
    "yellow-moutarde": "#c3992a",
    "blue-cumulus": "#417dc4",
    "green-bourgeon": "#68a532",
    "pink-tuile": "#ce614a",
    "blue-ecume": "#465f9d",
    "brown-caramel": "#c08c65",
}
CATEGORY = (BLUE_FRANCE, *ILLUSTRATIVE.values())


def number_locale() -> dict[str, object]:
    """d3-format's fr-FR, with the narrow no-break space reports/formatting.py uses."""
    return {**vl_convert.get_format_locale("fr-FR"), "thousands": NARROW_NBSP}


def time_locale() -> dict[str, object]:
    return vl_convert.get_time_format_locale("fr-FR")


def theme_config() -> alt.theme.ThemeConfig:
    """The Vega-Lite config of every chart: DSFR colours and type, French formats."""
    axis = {
        "labelColor": TEXT,
        "labelFont": FONT,
        "labelFontSize": 11,
        "titleColor": TEXT,
        "titleFont": FONT,
        "titleFontSize": 11,
        "titleFontWeight": "normal",
        "gridColor": BORDER,
        "domainColor": TEXT_MENTION,
        "tickColor": TEXT_MENTION,
    }
    return {
        "config": {
            "font": FONT,
            "aria": False,
            "locale": {"number": number_locale(), "time": time_locale()},
            "background": "#ffffff",
            "view": {"stroke": None},
            "title": {
                "font": FONT,
                "fontSize": 14,
                "fontWeight": "bold",
                "color": TEXT,
                "anchor": "start",
                "aria": False,
                "subtitleColor": TEXT_MENTION,
                "subtitleFont": FONT,
            },
            "axis": axis,
            "legend": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelColor": TEXT,
                "labelFontSize": 11,
                "titleFontSize": 11,
                "orient": "bottom",
                "title": None,
            },
            "range": {"category": list(CATEGORY)},
            "line": {"strokeWidth": 2.5, "invalid": "break-paths-filter-domains"},
            "point": {"filled": True, "size": 45},
            "bar": {"color": BLUE_FRANCE},
            "text": {"font": FONT, "color": TEXT, "fontSize": 11},
            "rule": {"color": RED_MARIANNE},
        }
    }


alt.theme.register(THEME, enable=False)(theme_config)


def font_files() -> list[Path]:
    return sorted((DSFR_DIR / "fonts").glob("*.woff2"))
