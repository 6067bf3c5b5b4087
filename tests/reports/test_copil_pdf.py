"""The PDFs turned into page images (pdftoppm): the charts are there, in the DSFR colours."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from reports.packs.render import PDF
from reports.theme import BLUE_FRANCE, ILLUSTRATIVE
from tests.reports.pack_fixture import Published

pytestmark = [pytest.mark.lent, pytest.mark.navigateur]

FRANCE_SERIES = ILLUSTRATIVE["orange-terre-battue"]


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _pixels(image: Image.Image, colour: str, tolerance: int = 40) -> int:
    target = _rgb(colour)
    return sum(
        n
        for n, pixel in image.convert("RGB").getcolors(1 << 20)
        if all(abs(a - b) <= tolerance for a, b in zip(pixel, target, strict=True))
    )


def _pages(pdf: Path, folder: Path, resolution: int = 50) -> list[Path]:
    subprocess.run(
        ["pdftoppm", "-r", str(resolution), "-png", str(pdf), str(folder / "page")], check=True
    )
    return sorted(folder.glob("page-*.png"))


@pytest.mark.parametrize("code", ["77", "13"])
def test_departmental_pdf_pages_show_the_charts(
    published: Published, tmp_path: Path, code: str
) -> None:
    pages = _pages(published.department_folder(code) / PDF, tmp_path)
    assert len(pages) >= 4
    images = [Image.open(p) for p in pages]
    # The France series (terre battue) appears only in charts: occupancy, returns, re-incarceration
    # (a department's rates the protection hides leave only the France line, or nothing).
    with_france_series = [
        p for p, image in zip(pages, images, strict=True) if _pixels(image, FRANCE_SERIES) > 30
    ]
    assert len(with_france_series) >= 1
    assert _pixels(images[0], BLUE_FRANCE) > 200


def test_national_pdf_pages_show_the_rankings(published: Published, tmp_path: Path) -> None:
    pages = _pages(published.national_folder / PDF, tmp_path, resolution=100)
    images = [Image.open(p) for p in pages]
    marianne_red = "#e1000f"  # the national value's rule in the ranked dot plots
    # The first page's red is the Marianne block's: the rankings come after it (on the small
    # fixture only the occupancy rankings have a zone to draw: the others are all « secret »).
    assert sum(_pixels(image, marianne_red) > 20 for image in images[1:]) >= 1
