"""Each contract rule catches what it should, on the line it should, and nothing else."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.conftest import PARCOURS_HEADER, parcours_row, run_ingest, write_csv

REL = "liberation_fin_de_peine"


def _with(row: list[str], **changes: str) -> list[str]:
    out = list(row)
    for column, value in changes.items():
        out[PARCOURS_HEADER.index(column)] = value
    return out


VALID = parcours_row("OK1", "05/01/2025", "20/05/2025", REL, "emploi_durable", heures="300")
CASES: dict[str, list[str]] = {
    "obligatoire_date_entree": _with(VALID, date_entree=""),
    "obligatoire_sexe": _with(VALID, sexe=""),
    "type_date_sortie": _with(VALID, date_sortie="31/02/2025"),
    "type_heures_travaillees": _with(VALID, heures_travaillees="beaucoup"),
    "type_clea_obtenu": _with(VALID, clea_obtenu="peut-être"),
    "nomenclature_motif_sortie": _with(VALID, motif_sortie="liberation_anticipee"),
    "nomenclature_sexe": _with(VALID, sexe="X"),
    "minimum_heures_travaillees": _with(VALID, heures_travaillees="-5"),
    "minimum_annee_naissance": _with(VALID, annee_naissance="1930"),
    "annee_naissance_plausible": _with(VALID, annee_naissance="2015"),
    "orientation_avant_entree": _with(VALID, date_orientation_cpu="10/01/2025"),
    "entree_apres_ouverture": _with(VALID, date_entree="01/03/2017", date_orientation_cpu=""),
    "sortie_apres_entree": _with(VALID, date_sortie="02/01/2025"),
    "sortie_dans_periode": _with(VALID, date_sortie="02/07/2025", motif_sortie=REL),
    "motif_si_sortie": _with(VALID, motif_sortie="", situation_sortie=""),
    "motif_sans_sortie": parcours_row("M1", "05/01/2025", "", "transfert"),
    "amenagement_si_liberation_amenagee": _with(VALID, motif_sortie="liberation_amenagement"),
    "amenagement_sans_liberation_amenagee": _with(VALID, type_amenagement="LC"),
    "situation_si_liberation": _with(VALID, situation_sortie=""),
    "situation_sans_liberation": _with(VALID, motif_sortie="transfert"),
    "heures_plausibles": _with(VALID, heures_travaillees="2000"),
}
WARNINGS = {
    "statut_prevenu": _with(VALID, statut_penal="prevenu"),
    "quantum_hors_eligibilite": _with(VALID, quantum_peine_mois="48"),
}


def test_each_rule_flags_its_line_only(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    cases = [*CASES.values(), *WARNINGS.values()]
    rows = [VALID, *(_with(row, identifiant=f"CAS{i}") for i, row in enumerate(cases))]
    write_csv(tmp_path / "boite" / "77-meaux_parcours_2025-S1.csv", PARCOURS_HEADER, rows)
    run_ingest(warehouse, tmp_path / "boite")
    found = warehouse.sql("SELECT ligne, regle, gravite FROM anomalies ORDER BY ligne").fetchall()
    expected = [(line, rule, "erreur") for line, rule in enumerate(CASES, start=3)]
    expected += [
        (line, rule, "avertissement") for line, rule in enumerate(WARNINGS, start=3 + len(CASES))
    ]
    assert found == expected
    accepted_lines = [
        r[0] for r in warehouse.sql("SELECT ligne_source FROM raw_parcours ORDER BY 1").fetchall()
    ]
    assert accepted_lines == [2, *range(3 + len(CASES), 3 + len(CASES) + len(WARNINGS))]


def test_duplicated_pathway_flags_both_lines(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    write_csv(
        tmp_path / "boite" / "77-meaux_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [VALID, VALID, _with(VALID, identifiant="OK2")],
    )
    run_ingest(warehouse, tmp_path / "boite")
    assert warehouse.sql("SELECT ligne, regle FROM anomalies ORDER BY ligne").fetchall() == [
        (2, "parcours_unique"),
        (3, "parcours_unique"),
    ]


def test_overlapping_pathways_of_one_person_are_warned_and_kept(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    """Two pathways of one person overlap when each starts before the other ends (an open one
    runs to the end of the semester); leaving and coming back the same day is no overlap."""
    never_closed = parcours_row("P1", "05/01/2025")
    came_back = parcours_row("P1", "03/03/2025", "20/05/2025", REL, "emploi_durable")
    left = parcours_row("P2", "05/01/2025", "03/03/2025", "transfert")
    back_that_day = parcours_row("P2", "03/03/2025")
    other_person = parcours_row("P3", "10/01/2025")
    write_csv(
        tmp_path / "boite" / "77-meaux_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [never_closed, came_back, left, back_that_day, other_person],
    )
    write_csv(  # the same person on another site's file is another pathway, not an overlap
        tmp_path / "boite" / "06-nice_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [parcours_row("P1", "06/01/2025")],
    )
    run_ingest(warehouse, tmp_path / "boite")
    assert warehouse.sql(
        "SELECT fichier, ligne, regle, gravite, correction FROM anomalies ORDER BY ALL"
    ).fetchall() == [
        ("77-meaux_parcours_2025-S1.csv", line, "parcours_chevauchants", "avertissement", fix)
        for line in (2, 3)
        for fix in [
            "Comparez les deux lignes de cette personne : si elle est sortie puis revenue, la "
            "sortie du premier parcours (date et motif) précède l'entrée du second ; corrigez la "
            "date erronée, ou supprimez la ligne en double. Les deux parcours comptent tant "
            "qu'ils se chevauchent."
        ]
    ]
    assert warehouse.sql("SELECT count(*) FROM raw_parcours").fetchall() == [(6,)]


def test_messages_name_the_value_but_never_an_identifier(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    write_csv(
        tmp_path / "boite" / "77-meaux_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [CASES["type_date_sortie"], _with(VALID, identifiant="", sexe="X")],
    )
    run_ingest(warehouse, tmp_path / "boite")
    rows = warehouse.sql(
        "SELECT regle, valeur, message, correction FROM anomalies ORDER BY ligne, regle"
    ).fetchall()
    assert rows[0][:2] == ("type_date_sortie", "31/02/2025") and "31/02/2025" in rows[0][2]
    assert all("OK1" not in " ".join(str(v) for v in row) for row in rows)
    assert {r[0] for r in rows[1:]} == {"obligatoire_identifiant", "nomenclature_sexe"}
