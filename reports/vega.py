"""The Vega, Vega-Lite and Vega-Embed bundle inlined once in each interactive page (never a CDN).

Building it with vl-convert takes seconds; it depends only on the installed versions, so it is
kept in the user's cache folder and rebuilt when vl-convert or Altair changes.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import altair as alt
import vl_convert

# The Vega-Lite version Altair writes specs for (`v6.4.1` → `6.4`).
VEGA_LITE_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def _cache_file() -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return root / "iae-detention" / f"vega-{vl_convert.__version__}-vl{VEGA_LITE_VERSION}.js"


@cache
def vega_bundle() -> str:
    path = _cache_file()
    if path.is_file():
        return path.read_text(encoding="utf-8")
    bundle = vl_convert.javascript_bundle(vl_version=VEGA_LITE_VERSION)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_text(bundle, encoding="utf-8")
    partial.replace(path)
    return bundle
