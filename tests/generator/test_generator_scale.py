"""Scaling up: more sites (siblings of each referential site) and more people per site."""

from __future__ import annotations

import csv
from pathlib import Path

from gen_reader import parse_name, read_sheet

from generator import generate_inbox
from generator.referential import SHIPPED_SITES

SITES = ["77-meaux", "77-meaux-2", "03-moulins", "03-moulins-2"]


def _rows(inbox: Path, site: str, export: str) -> int:
    return sum(
        len(read_sheet(p).rows)
        for p in inbox.iterdir()
        if (n := parse_name(p.name)) and n.site == site and n.export == export and not n.suffix
    )


def test_scaled_inbox_has_sibling_sites_and_its_referential(tmp_path: Path) -> None:
    summary = generate_inbox(
        tmp_path / "big" / "inbox", scale=4, sites=SITES, last_period="2019-S2"
    )
    assert summary.sites == 4
    with (summary.inbox / "sites.csv").open(encoding="utf-8", newline="") as handle:
        referential = list(csv.DictReader(handle))
    with SHIPPED_SITES.open(encoding="utf-8", newline="") as handle:
        assert list(referential[0]) == csv.DictReader(handle).fieldnames
    by_code = {r["code_site"]: r for r in referential}
    assert set(by_code) == set(SITES)
    assert by_code["77-meaux"]["etp_conventionnes"] == "30"  # 15 ETP × 4 / 2 workshops
    assert by_code["77-meaux-2"]["date_ouverture"] >= by_code["77-meaux"]["date_ouverture"]
    assert by_code["03-moulins-2"]["date_fermeture"] == "2018-12-31"
    names = [p.name for p in summary.inbox.iterdir()]
    assert any(n.startswith("77-meaux-2_parcours_") for n in names)
    assert not any(n.startswith("03-moulins-2_") and "2019-S" in n for n in names)

    small = generate_inbox(tmp_path / "small" / "inbox", sites=["77-meaux"], last_period="2019-S2")
    assert not (small.inbox / "sites.csv").exists()
    assert _rows(summary.inbox, "77-meaux", "parcours") > 1.5 * _rows(
        small.inbox, "77-meaux", "parcours"
    )
