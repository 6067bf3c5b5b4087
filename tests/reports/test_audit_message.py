"""The audit's message names what a reader can pin and the departmental packs it concerns."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.defs import confidentiality
from pipelines.defs.confidentiality import audit_figures, describe_audit
from pipelines.warehouse.connection import connect
from reports.disclosure_audit import Audit, Disclosure
from reports.linked_relations import holding, read_together
from reports.packs.figures import KEY
from reports.packs.queries import query
from tests.reports.pack_fixture import build_warehouse

ZONES = pl.DataFrame(
    {
        "maille": ["site", "site", "departement", "departement"],
        "code_zone": ["25-besancon", "94-fresnes", "25", "94"],
        "code_departement": ["25", "94", "25", "94"],
    }
)


def test_the_audit_stops_publication_naming_the_pinned_count_and_its_packs() -> None:
    pinned = Disclosure(("departement", "94", "2025-S2", "sorties_deces"), 1.0, -0.0, 3.0, "r")
    result = Audit(
        disclosures=[pinned],
        unproven=[("site", "25-besancon", "2024-S2", "entrees"), ("disp", "dijon", "2024", "x")],
        examined=40,
    )
    text = describe_audit(result, ZONES)
    assert text.startswith("Publication arrêtée : 1 effectif(s) masqué(s)")
    assert "2 dont la protection" in text
    assert "- sorties_deces, departement 94, 2025-S2 : entre 0 et 3 (relation r)" in text
    assert "Dossiers départementaux concernés : 25, 94." in text


def test_a_clean_audit_says_so() -> None:
    text = describe_audit(Audit(disclosures=[], unproven=[], examined=12), ZONES)
    assert text.startswith("Aucun des 12 effectifs masqués") and "concernés" not in text


@pytest.mark.lent
def test_a_state_of_the_figures_is_audited_once_and_a_leak_stops_publication(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check runs before every publication: figures it has audited are read back, not audited
    again; figures that give a hidden count away (a relation's other hidden count shown) fail."""
    settings = build_warehouse(tmp_path)
    with connect(settings.warehouse) as con:
        first = audit_figures(con, settings.thresholds.min_count)
        assert first["passe"] and first["examines"] > 0

        def not_again(*_: object) -> None:
            raise AssertionError("audité deux fois")

        with monkeypatch.context() as patch:
            patch.setattr(confidentiality, "audit", not_again)
            assert audit_figures(con, settings.thresholds.min_count) == first

        cells = query(con, "cellules_secret")
        members = holding(read_together(query(con, "relations_additives")).join(cells, on=KEY))
        small = pl.col("cache") & pl.col("valeur").is_between(1, 4)
        pairs = members.group_by("relation").agg(
            pl.col("cache").sum().alias("caches"),
            small.sum().alias("petits"),
            (pl.col("total") & pl.col("cache")).any().alias("total_cache"),
        )
        relation = pairs.filter(
            (pl.col("caches") == 2) & (pl.col("petits") >= 1) & ~pl.col("total_cache")
        )["relation"][0]
        other = members.filter((pl.col("relation") == relation) & pl.col("cache")).sort(
            "valeur", descending=True
        )
        shown = other.select(KEY).row(0, named=True)
        con.execute(
            "UPDATE cellules_secret SET cache = false WHERE maille = $maille "
            "AND code_zone = $code_zone AND periode = $periode AND indicateur = $indicateur",
            shown,
        )
        leaked = audit_figures(con, settings.thresholds.min_count)
    assert not leaked["passe"] and leaked["retrouvables"] >= 1
    assert str(leaked["description"]).startswith("Publication arrêtée : ")
