"""The audit's warning names what a reader can pin and the departmental packs to read again."""

from __future__ import annotations

import polars as pl

from pipelines.defs.confidentiality import describe_audit
from reports.disclosure_audit import Audit, Disclosure

ZONES = pl.DataFrame(
    {
        "maille": ["site", "site", "departement", "departement"],
        "code_zone": ["25-besancon", "94-fresnes", "25", "94"],
        "code_departement": ["25", "94", "25", "94"],
    }
)
# Besançon delivered 2024-S2 only; Fresnes the whole year.
PARTIAL = pl.DataFrame(
    {
        "periode": ["2024", "2024"],
        "code_departement": ["25", "94"],
        "libelle_site": ["Maison d'arrêt de Besançon", "Centre pénitentiaire de Fresnes"],
        "toutes": [False, True],
        "une_partie": [True, True],
        "semestres_livres": [["2024-S2"], ["2024-S1", "2024-S2"]],
        "semestres_manquants": [["2024-S1"], None],
    }
)


def test_the_warning_names_the_pinned_count_and_the_packs_to_read_again() -> None:
    pinned = Disclosure(("departement", "94", "2025-S2", "sorties_deces"), 1.0, -0.0, 3.0, "r")
    result = Audit(
        disclosures=[pinned],
        unproven=[("site", "25-besancon", "2024-S2", "entrees"), ("disp", "dijon", "2024", "x")],
        examined=40,
    )
    text = describe_audit(result, ZONES, PARTIAL)
    assert text.startswith("1 effectif(s) masqué(s)") and "2 dont la protection" in text
    assert "- sorties_deces, departement 94, 2025-S2 : entre 0 et 3 (relation r)" in text
    assert "Dossiers départementaux à relire avant envoi : 25, 94." in text
    assert "partie" not in text  # 2025-S2: no year delivered in part


def test_a_clean_audit_says_so() -> None:
    text = describe_audit(Audit(disclosures=[], unproven=[], examined=12), ZONES, PARTIAL)
    assert text.startswith("Aucun des 12 effectifs masqués") and "relire" not in text


def test_the_warning_names_the_missing_file_behind_counts_pinned_in_a_year_delivered_in_part() -> (
    None
):
    pinned = [
        Disclosure(("departement", "25", "2024-S2", "sorties_abandon"), 2.0, 2.0, 2.0, "r"),
        Disclosure(("site", "25-besancon", "2024", "liberations"), 9.0, 9.0, 9.0, "r"),
        Disclosure(("departement", "25", "2024-S1", "entrees"), 3.0, 3.0, 3.0, "r"),
    ]
    text = describe_audit(Audit(disclosures=pinned, unproven=[], examined=40), ZONES, PARTIAL)
    assert "Dont 2 dans une année qu'un site n'a livrée qu'en partie" in text
    assert (
        "une fois reçu, supprime cette différence : Maison d'arrêt de Besançon (2024-S1)." in text
    )
