"""The repository documents itself: nothing it holds sends a reader to a file outside it."""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

from pipelines.paths import PROJECT_ROOT

# Spelled in pieces so that this file does not name them itself.
OUTSIDE = ("DOMAIN" + ".md", "DESIGN" + ".md", "../" + "shared")
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_DOCS_PAGE = re.compile(r"\bdocs/[\w-]+\.md\b")
_SETTING = re.compile(r"\bIAE_[A-Z][A-Z_]*[A-Z]\b")


@cache
def tracked_texts() -> dict[Path, str]:
    """Every text file git tracks (binary files left out)."""
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("pas de dépôt git : la liste des fichiers suivis est inconnue")
    texts = {}
    for name in listing.decode("utf-8").split("\0"):
        path = PROJECT_ROOT / name
        if name and path.is_file():
            try:
                texts[path] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
    return texts


def test_no_tracked_file_refers_to_a_file_outside_the_repository() -> None:
    found = [
        f"{path.relative_to(PROJECT_ROOT)}:{number}: {line.strip()}"
        for path, text in tracked_texts().items()
        for number, line in enumerate(text.splitlines(), 1)
        if any(name in line for name in OUTSIDE)
    ]
    assert not found, "Références hors du dépôt :\n" + "\n".join(found)


def test_every_docs_page_the_repository_names_exists() -> None:
    named = {
        (page, path.relative_to(PROJECT_ROOT))
        for path, text in tracked_texts().items()
        for page in _DOCS_PAGE.findall(text)
    }
    assert named, "aucune page de docs/ n'est citée"
    missing = sorted(
        f"{source} cite {page}" for page, source in named if not (PROJECT_ROOT / page).is_file()
    )
    assert not missing, "\n".join(missing)


def _slug(heading: str) -> str:
    """The anchor a Markdown renderer gives a heading (GitHub's rule)."""
    text = heading.strip().lower().replace("`", "")
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(text: str) -> set[str]:
    anchors, fenced = set(), False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (match := re.match(r"#+ (.+)", line)):
            anchors.add(_slug(match.group(1)))
    return anchors


def _documentation() -> list[Path]:
    return [
        p
        for p in tracked_texts()
        if p == PROJECT_ROOT / "README.md"
        or (p.parent == PROJECT_ROOT / "docs" and p.suffix == ".md")
    ]


def test_documentation_links_lead_to_files_and_headings_of_the_repository() -> None:
    pages = _documentation()
    assert PROJECT_ROOT / "docs" / "exploitation.md" in pages
    broken = []
    for page in pages:
        for target in _LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            file_part, _, anchor = target.partition("#")
            linked = (page.parent / file_part).resolve() if file_part else page
            if not linked.is_relative_to(PROJECT_ROOT) or not linked.is_file():
                broken.append(f"{page.name} → {target} : fichier absent du dépôt")
            elif anchor and anchor not in _anchors(linked.read_text(encoding="utf-8")):
                broken.append(f"{page.name} → {target} : titre introuvable")
    assert not broken, "\n".join(broken)


def test_every_setting_the_code_reads_is_in_the_operators_guide() -> None:
    guide = (PROJECT_ROOT / "docs" / "exploitation.md").read_text(encoding="utf-8")
    settings = {
        name
        for path, text in tracked_texts().items()
        if path.suffix in (".py", ".sh")
        for name in _SETTING.findall(text)
    }
    assert "IAE_CONSERVATION_MOIS" in settings
    assert not sorted(s for s in settings if f"`{s}`" not in guide)
