"""Same seed and scale: the same bytes and arrival times; another seed: other data."""

from __future__ import annotations

from pathlib import Path

import pytest
from gen_reader import Generated

from generator import generate_inbox, manifest_path_for

SMALL = {"sites": ["77-meaux", "03-moulins", "38-grenoble-varces"], "last_period": "2019-S2"}


def snapshot(inbox: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(inbox.iterdir())}


def test_same_seed_gives_identical_files_and_times(tmp_path: Path) -> None:
    first = generate_inbox(tmp_path / "a" / "inbox", **SMALL)
    second = generate_inbox(tmp_path / "b" / "inbox", **SMALL)
    assert snapshot(first.inbox) == snapshot(second.inbox)
    assert first.manifest_path.read_bytes() == second.manifest_path.read_bytes()
    assert (first.files, first.rows, first.defects) == (second.files, second.rows, second.defects)


def test_other_seed_gives_other_data(tmp_path: Path) -> None:
    first = snapshot(generate_inbox(tmp_path / "a" / "inbox", seed=1, **SMALL).inbox)
    second = snapshot(generate_inbox(tmp_path / "b" / "inbox", seed=2, **SMALL).inbox)
    common = set(first) & set(second)
    assert sum(first[name] != second[name] for name in common) > 0.9 * len(common)


@pytest.mark.lent
def test_summary_counts_what_was_written(generated: Generated) -> None:
    names = sorted(p.name for p in generated.inbox.iterdir())
    assert generated.summary.files == len(names)
    assert "sites.csv" not in names  # only written when the referential is scaled
    assert generated.summary.sites == 69
    assert generated.summary.manifest_path == manifest_path_for(generated.inbox)
    assert generated.summary.manifest_path.parent == generated.inbox.parent
    assert generated.summary.defects == len(generated.manifest["defects"])


def test_existing_inbox_content_is_kept(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "note.txt").write_text("à garder", encoding="utf-8")
    generate_inbox(inbox, sites=["77-meaux"], last_period="2017-S2")
    assert (inbox / "note.txt").read_text(encoding="utf-8") == "à garder"
    assert (inbox / "77-meaux_parcours_2017-S2.csv").exists() or (
        inbox / "77-meaux_parcours_2017-S2.xlsx"
    ).exists()


def test_unknown_site_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="inconnus"):
        generate_inbox(tmp_path / "inbox", sites=["99-nulle-part"])
