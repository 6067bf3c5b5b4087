"""A follow-up row about a person without a follow-up measure is never stored (privacy violation)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.cli import _print_privacy_rejections
from pipelines.ingest.pseudonymise import pseudonymise
from pipelines.warehouse.sql_files import select
from tests.conftest import (
    PARCOURS_HEADER,
    SUIVI_HEADER,
    TEST_KEY,
    parcours_row,
    run_ingest,
    write_csv,
    write_releases_with_and_without_measure,
)

RELEASE = ("liberation_fin_de_peine", "sans_solution")
# « SUIVI », released on 15/03/2025 under a follow-up measure.
MEASURED = {"2025-S1": [parcours_row("SUIVI", "05/01/2025", "15/03/2025", *RELEASE, mesure="oui")]}


def _follow_up_findings(
    warehouse: duckdb.DuckDBPyConnection,
    inbox: Path,
    pathways: dict[str, list[list[str]]],
    follow_ups: list[list[str]],
) -> list[tuple]:
    """Meaux's pathway files (by semester) and its 2025-S2 follow-ups landed; (line, rule,
    severity, value) of every follow-up finding."""
    for semester, rows in pathways.items():
        write_csv(inbox / f"77-meaux_parcours_{semester}.csv", PARCOURS_HEADER, rows)
    write_csv(inbox / "77-meaux_suivi_2025-S2.csv", SUIVI_HEADER, follow_ups)
    run_ingest(warehouse, inbox)
    return warehouse.sql(
        "SELECT ligne, regle, gravite, valeur FROM anomalies WHERE type_export = 'suivi' "
        "ORDER BY ligne, regle"
    ).fetchall()


def _kept_observations(warehouse: duckdb.DuckDBPyConnection) -> list[date]:
    return [day for (day,) in warehouse.sql("SELECT date_observation FROM raw_suivi").fetchall()]


def test_follow_up_without_measure_is_rejected_and_not_stored(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "boite"
    write_releases_with_and_without_measure(inbox)
    write_csv(
        inbox / "77-meaux_suivi_2025-S1.csv",
        SUIVI_HEADER,
        [
            ["AVEC", "20/03/2025", "15/05/2025", "emploi_durable", ""],
            ["SANS", "20/03/2025", "17/06/2025", "formation_qualifiante", ""],
            ["AILLEURS", "20/03/2025", "17/06/2025", "formation_qualifiante", ""],
        ],
    )
    run_ingest(warehouse, inbox, run_id="premier")
    sans = pseudonymise(pl.Series(["SANS"]), TEST_KEY).item()
    avec = pseudonymise(pl.Series(["AVEC"]), TEST_KEY).item()
    assert warehouse.sql("SELECT identifiant FROM raw_suivi").fetchall() == [(avec,)]
    # the release the first follows was made without a measure: the rule names that release; the
    # second person has no pathway on the site at all
    assert warehouse.sql(
        "SELECT regle, valeur, atteinte_vie_privee, ligne FROM anomalies "
        "WHERE type_export = 'suivi' ORDER BY ligne"
    ).fetchall() == [
        ("suivi_liberation_sans_mesure", "20/03/2025", True, 3),
        ("suivi_sans_mesure", "(identifiant masqué)", True, 4),
    ]
    for table, column in warehouse.sql(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_name IN ('raw_suivi', 'anomalies', 'livraisons')"
    ).fetchall():
        hits = warehouse.sql(
            f"SELECT count(*) FROM {table} WHERE CAST({column} AS VARCHAR) IN ('17/06/2025', '2025-06-17', 'formation_qualifiante', '{sans}')"
        ).fetchall()
        assert hits == [(0,)], (table, column)
    # the end of the run counts the rejected lines by file; a later run has none of its own
    rejected = select(warehouse, "runs", "atteintes_vie_privee", run_id="premier").to_dicts()
    assert rejected == [{"fichier": "77-meaux_suivi_2025-S1.csv", "lignes": 2}]
    _print_privacy_rejections(rejected)
    assert capsys.readouterr().out == (
        "Lignes de suivi rejetées pour atteinte à la vie privée, non conservées (1 fichier(s)) :\n"
        "  - 77-meaux_suivi_2025-S1.csv : 2 ligne(s) ; détail sur la page de qualité du site.\n"
    )
    assert select(warehouse, "runs", "atteintes_vie_privee", run_id="suivant").is_empty()


def test_a_follow_up_tied_to_no_release_is_warned(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    """An observation counts only after a release of that person on that day: another date, or a
    pathway that ended without release, is told to the steward (the row is kept)."""
    released = parcours_row("LIB", "05/01/2025", "20/03/2025", *RELEASE, mesure="oui")
    transferred = parcours_row("TRF", "05/01/2025", "20/03/2025", "transfert", mesure="oui")
    findings = _follow_up_findings(
        warehouse,
        tmp_path / "boite",
        {"2025-S1": [released, transferred]},
        [
            ["LIB", "20/03/2025", "15/07/2025", "emploi_durable", ""],
            ["LIB", "21/03/2025", "16/07/2025", "emploi_durable", ""],
            ["TRF", "20/03/2025", "15/07/2025", "recherche_emploi", ""],
        ],
    )
    assert findings == [
        (3, "suivi_sans_liberation", "avertissement", "21/03/2025"),
        (4, "suivi_sans_liberation", "avertissement", "20/03/2025"),
    ]
    assert warehouse.sql("SELECT count(*) FROM raw_suivi").fetchall() == [(3,)]


def test_a_follow_up_of_a_release_without_measure_is_rejected_even_if_another_had_one(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    """A measure on one pathway of a person does not allow following another release of theirs."""
    findings = _follow_up_findings(
        warehouse,
        tmp_path / "boite",
        {
            "2025-S1": [parcours_row("DEUX", "06/01/2025", "15/03/2025", *RELEASE, mesure="oui")],
            "2025-S2": [parcours_row("DEUX", "01/07/2025", "10/11/2025", *RELEASE, mesure="non")],
        },
        [
            ["DEUX", "15/03/2025", "15/09/2025", "emploi_durable", ""],
            ["DEUX", "10/11/2025", "10/12/2025", "sans_solution", ""],
        ],
    )
    assert findings == [(3, "suivi_liberation_sans_mesure", "erreur", "10/11/2025")]
    assert warehouse.sql("SELECT date_sortie FROM raw_suivi").fetchall() == [(date(2025, 3, 15),)]


def test_a_heading_holding_a_name_or_a_number_is_kept_by_its_column_only(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    """Extra headings are named in the register and on the steward's page; one that could name
    someone (a courtesy title, a surname in capitals, digits) is named by its column letter."""
    inbox = tmp_path / "boite"
    headings = ["Nom", "Remarques de Mme VALLANCOURT", "Tél. 06 12 34 56 78"]
    write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv",
        [*PARCOURS_HEADER, *headings],
        [[*parcours_row("A1", "05/01/2025"), "Lefrançois", "RAS", ""]],
    )
    run_ingest(warehouse, inbox)
    first = len(PARCOURS_HEADER)  # the extra columns start after the contract's (0-based)
    assert warehouse.sql("SELECT colonnes_supprimees FROM livraisons").fetchall() == [
        (
            [
                "« Nom »",
                f"colonne {chr(ord('A') + first + 1)} (intitulé de 28 caractères, non reproduit)",
                f"colonne {chr(ord('A') + first + 2)} (intitulé de 19 caractères, non reproduit)",
            ],
        )
    ]
    for table, column in warehouse.sql(
        "SELECT table_name, column_name FROM information_schema.columns"
    ).fetchall():
        text = f"CAST({column} AS VARCHAR)"
        found = warehouse.sql(
            f"SELECT count(*) FROM {table} WHERE {text} LIKE '%VALLANCOURT%' "
            f"OR {text} LIKE '%06 12%' OR {text} LIKE '%Lefrançois%'"
        ).fetchall()
        assert found == [(0,)], (table, column)


def test_a_follow_up_observed_twice_on_one_day_is_quarantined(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    """Two situations for one person on one day contradict each other: both lines wait."""
    findings = _follow_up_findings(
        warehouse,
        tmp_path / "boite",
        MEASURED,
        [
            ["SUIVI", "15/03/2025", "15/07/2025", "emploi_durable", ""],
            ["SUIVI", "15/03/2025", "15/07/2025", "sans_solution", ""],
            ["SUIVI", "15/03/2025", "15/08/2025", "sans_solution", ""],
        ],
    )
    assert [(line, rule) for line, rule, *_ in findings] == [
        (2, "suivi_unique"),
        (3, "suivi_unique"),
    ]
    assert _kept_observations(warehouse) == [date(2025, 8, 15)]


def test_a_re_incarceration_date_with_another_situation_is_quarantined(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    """« Emploi durable » re-incarcerated on 1 June contradicts itself (and would count as a job);
    a re-incarceration without its date is the other half of the same rule."""
    findings = _follow_up_findings(
        warehouse,
        tmp_path / "boite",
        MEASURED,
        [
            ["SUIVI", "15/03/2025", "15/07/2025", "emploi_durable", "01/06/2025"],
            ["SUIVI", "15/03/2025", "15/08/2025", "reincarcere", ""],
            ["SUIVI", "15/03/2025", "15/09/2025", "reincarcere", "01/09/2025"],
        ],
    )
    assert [(line, rule) for line, rule, *_ in findings] == [
        (2, "situation_reincarceration"),
        (3, "reincarceration_datee"),
    ]
    assert _kept_observations(warehouse) == [date(2025, 9, 15)]


def test_an_empty_identifier_is_told_once(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    """A follow-up without its identifier names nobody: it is not also « a person without a
    measure »."""
    findings = _follow_up_findings(
        warehouse,
        tmp_path / "boite",
        MEASURED,
        [["", "15/03/2025", "15/07/2025", "emploi_durable", ""]],
    )
    assert [(line, rule) for line, rule, *_ in findings] == [(2, "obligatoire_identifiant")]


def test_free_text_in_a_checked_column_is_told_by_its_length_only(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    """A steward who types a sentence naming someone where a code is expected gets the row
    quarantined; the warehouse (hence the quality pages) keeps its length, not the text. A date or
    a code-like word is still told as written: that is how the steward finds the fix."""
    sentence = "Embauché chez M. Brévignon (garage)"
    inbox = tmp_path / "boite"
    write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [
            parcours_row("A1", "05/01/2025", "20/03/2025", "liberation_fin_de_peine", sentence),
            parcours_row("A2", "31/02/2025"),
            parcours_row("A3", "05/01/2025", "20/03/2025", "liberation_fin_de_peine", "Bac+2"),
        ],
    )
    run_ingest(warehouse, inbox)
    findings = warehouse.sql(
        "SELECT ligne, colonne, valeur, message FROM anomalies ORDER BY ligne"
    ).pl()
    stored = " ".join(str(v) for row in findings.iter_rows() for v in row)
    assert "Brévignon" not in stored and "garage" not in stored
    by_column = findings.group_by("colonne", maintain_order=True).agg("valeur")
    told = dict(by_column.iter_rows())
    assert told["situation_sortie"] == [
        f"texte de {len(sentence)} caractères, non reproduit",
        "Bac+2",
    ]
    assert told["date_entree"] == ["31/02/2025"]


def test_a_name_or_an_identifier_in_the_wrong_column_is_told_by_its_shape_only(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    """A row shifted by a cell, or a column typed in the wrong place: a surname under « date
    d'entrée », a first name under « sexe », a staff identifier in the hours. None is a code or a
    quantity, so none is told back; a misspelt code made of the code lists' words still is."""
    header = list(PARCOURS_HEADER)
    first_name = parcours_row("A2", "05/01/2025")
    first_name[header.index("sexe")] = "Jean"
    rows = [
        parcours_row("A1", "Dupont"),
        first_name,
        parcours_row("A3", "05/01/2025", heures="SAL-0004"),
        parcours_row("A4", "05/01/2025", heures="82U5839563"),
        parcours_row("A5", "05/01/2025", "20/03/2025", "Fin de peine, libération", RELEASE[1]),
        parcours_row("A6", "05/01/2025", heures="0,5 ETP"),
        parcours_row("A7", "1er février 2025", heures="mi-temps"),
        parcours_row("A8", "05/01/2025", heures="J. D."),
    ]
    inbox = tmp_path / "boite"
    write_csv(inbox / "77-meaux_parcours_2025-S1.csv", header, rows)
    run_ingest(warehouse, inbox)
    findings = warehouse.sql("SELECT ligne, colonne, valeur, message FROM anomalies").pl()
    stored = " ".join(str(v) for row in findings.iter_rows() for v in row)
    for secret in ("Dupont", "Jean", "SAL-0004", "82U5839563", "J. D."):
        assert secret not in stored, secret
    told = {(line, column): value for line, column, value, _ in findings.iter_rows()}
    messages = {(line, column): message for line, column, _, message in findings.iter_rows()}
    assert messages[(2, "date_entree")] == (
        "La valeur (texte de 6 caractères, non reproduit) n'est pas une date valide dans la "
        "colonne « date_entree »."
    )
    assert messages[(7, "heures_travaillees")].startswith("« 0,5 ETP » n'est pas un nombre")
    assert told[(2, "date_entree")] == "texte de 6 caractères, non reproduit"
    assert told[(3, "sexe")] == "texte de 4 caractères, non reproduit"
    assert told[(4, "heures_travaillees")] == "texte de 8 caractères, non reproduit"
    assert told[(5, "heures_travaillees")] == "texte de 10 caractères, non reproduit"
    assert told[(6, "motif_sortie")] == "Fin de peine, libération"
    assert told[(7, "heures_travaillees")] == "0,5 ETP"
    assert told[(8, "heures_travaillees")] == "mi-temps"
    assert told[(9, "heures_travaillees")] == "texte de 5 caractères, non reproduit"
