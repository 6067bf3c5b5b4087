"""`iae check`: the steward's own check before sending — same messages, exit code, nothing stored."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import xlsxwriter

from pipelines.cli import main
from tests.conftest import PARCOURS_HEADER, SUIVI_HEADER, parcours_row, write_csv


def test_clean_file_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_csv(
        tmp_path / "77-meaux_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [parcours_row("A1", "05/01/2025")],
    )
    assert main(["check", str(path)]) == 0
    assert "Aucune erreur" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize(
    ("cell", "value", "line_text"),
    [
        ("date_sortie", "31/02/2025", "ligne 2, colonne « date_sortie »"),
        ("motif_sortie", "liberation_anticipee", "ligne 2, colonne « motif_sortie »"),
        ("date_entree", "", "ligne 2, colonne « date_entree »"),
    ],
)
def test_defect_exits_non_zero_naming_file_line_column_and_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str, value: str, line_text: str
) -> None:
    row = parcours_row(
        "A1", "05/01/2025", "20/05/2025", "liberation_fin_de_peine", "emploi_durable"
    )
    row[PARCOURS_HEADER.index(cell)] = value
    path = write_csv(tmp_path / "77-meaux_parcours_2025-S1.csv", PARCOURS_HEADER, [row])
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"ERREUR {path.name}, {line_text}" in out
    assert "À faire :" in out


def test_a_finding_names_the_column_as_the_file_heads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The steward looks for « Date de sortie » in the file, not for the contract's name; a
    heading that could hold a name is told by its spreadsheet column."""
    header = list(PARCOURS_HEADER)
    header[header.index("date_sortie")] = "Date de sortie"
    header[header.index("motif_sortie")] = "Motif de sortie (saisi par Mme Durand)"
    row = parcours_row("A1", "05/01/2025", "31/02/2025", "liberation_anticipee", "emploi_durable")
    path = write_csv(tmp_path / "77-meaux_parcours_2025-S1.csv", header, [row])
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"ERREUR {path.name}, ligne 2, colonne « Date de sortie » (date_sortie)" in out
    letter = "J"  # the tenth column
    assert header.index("Motif de sortie (saisi par Mme Durand)") == ord(letter) - ord("A")
    assert (
        f"ligne 2, colonne {letter} (intitulé de 38 caractères, non reproduit ; motif_sortie)"
        in out
    )
    assert "Durand" not in out


def test_a_number_that_could_name_someone_is_not_told_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row shifted by one cell puts the prison number under « sexe »; a phone number lands in
    the hours, a date of birth in the year of birth: the message gives their count of digits."""
    header = list(PARCOURS_HEADER)
    shifted = parcours_row("A1", "05/01/2025")
    shifted[header.index("sexe")] = "1000103"
    phone = parcours_row("A2", "05/01/2025", heures="06 12 34 56 78")
    born = parcours_row("A3", "05/01/2025")
    born[header.index("annee_naissance")] = "12/03/1970"
    typo = parcours_row("A4", "31/02/2025")  # a date in a date column is told as written
    path = write_csv(
        tmp_path / "77-meaux_parcours_2025-S1.csv", header, [shifted, phone, born, typo]
    )
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    for secret in ("1000103", "612345678", "06 12 34 56 78", "12/03/1970"):
        assert secret not in out, secret
    assert "nombre de 7 chiffres, non reproduit" in out
    assert "nombre de 10 chiffres, non reproduit" in out or "nombre de 9 chiffres" in out
    assert "nombre de 8 chiffres, non reproduit" in out
    assert "« 31/02/2025 » n'est pas une date valide" in out


def test_a_column_of_the_model_left_out_or_misnamed_is_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No error, yet every row would lack the follow-up measure and the hours: the steward is
    told, with the unrecognised heading beside it."""
    header = [c for c in PARCOURS_HEADER if c != "mesure_suivi"]
    header[header.index("heures_travaillees")] = "Total heures"
    row = parcours_row("A1", "05/01/2025")
    del row[PARCOURS_HEADER.index("mesure_suivi")]
    path = write_csv(tmp_path / "77-meaux_parcours_2025-S1.csv", header, [row])
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Colonnes non prévues, ignorées et non conservées : « Total heures »." in out
    absent = out.split("Colonnes du modèle absentes, lues vides sur chaque ligne : ")[1].split(".")[
        0
    ]
    assert set(absent.split(", ")) == {"heures_travaillees", "mesure_suivi"}


def test_a_folder_checks_the_files_it_holds_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "envoi"
    write_csv(
        folder / "77-meaux_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [parcours_row("A1", "05/01/2025")],
    )
    write_csv(
        folder / "77-meaux_parcours_2025-S2.csv",
        PARCOURS_HEADER,
        [parcours_row("A1", "31/02/2025")],
    )
    # what Windows and an open spreadsheet leave beside the exports: not files to fix
    for junk in ("Thumbs.db", "desktop.ini", "~$77-meaux_parcours_2025-S1.xlsx", ".DS_Store"):
        (folder / junk).write_bytes(b"\x00\x01")
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "77-meaux_parcours_2025-S1.csv : 1 ligne(s) lue(s), 1 acceptée(s)" in out
    assert "ERREUR 77-meaux_parcours_2025-S2.csv, ligne 2" in out
    assert not any(junk in out for junk in ("Thumbs", "desktop", "~$", "DS_Store"))


def test_a_date_written_month_first_says_so_for_the_whole_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """06/20/2025 is no day/month: the steward learns the column is month/day, so that 07/01/2025
    (read as 7 January) is checked too; 31/02/2025 stays a date that does not exist."""
    rows = [parcours_row("A1", "06/20/2025"), parcours_row("A2", "07/01/2025")]
    rows += [parcours_row("A3", "31/02/2025")]
    path = write_csv(tmp_path / "77-meaux_parcours_2025-S2.csv", PARCOURS_HEADER, rows)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "ligne 2, colonne « date_entree » : « 06/20/2025 » n'est pas une date valide" in out
    assert "le mois y semble écrit avant le jour" in out and "07/01/2025 a pu être lue" in out
    assert "« 31/02/2025 » n'est pas une date valide dans la colonne « date_entree »." in out


def test_dates_that_read_either_way_are_errors_in_a_file_that_writes_the_month_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An exit on 12/15/2025 shows the file writes the month first: its entry on 1/5/2025 is
    5 January as likely as 1 May, in any date column; 5/5/2025 reads the same both ways. The
    same dates in a file with no month first are read day first, as French files write them."""
    rows = [
        parcours_row("A1", "1/5/2025", "12/15/2025", "liberation_fin_de_peine", "emploi_durable"),
        parcours_row("A2", "5/5/2025"),
    ]
    path = write_csv(tmp_path / "77-meaux_parcours_2025-S2.csv", PARCOURS_HEADER, rows)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "ligne 2, colonne « date_entree » : « 1/5/2025 » se lit jour/mois ou mois/jour" in out
    assert "ligne 3" not in out
    french = write_csv(
        tmp_path / "77-meaux_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [parcours_row("A1", "1/5/2025", "12/06/2025", "liberation_fin_de_peine", "emploi_durable")],
    )
    assert main(["check", str(french)]) == 0


def test_an_identifier_in_scientific_notation_is_an_error_not_a_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1000345 and 1000349 both read 1,00035E+06 once a spreadsheet made them numbers: hashed as
    they are, two people would become one."""
    rows = [parcours_row("1,00035E+06", "05/07/2025"), parcours_row("1,00035E+06", "06/07/2025")]
    rows += [parcours_row("1000351", "07/07/2025")]
    path = write_csv(tmp_path / "77-meaux_parcours_2025-S2.csv", PARCOURS_HEADER, rows)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "3 ligne(s) lue(s), 1 acceptée(s), 2 en quarantaine" in out
    for line in (2, 3):
        assert (
            f"ligne {line}, colonne « identifiant » (valeur « (identifiant masqué) ») : "
            "L'identifiant de cette ligne est écrit en notation scientifique" in out
        )
    assert "valeur « 1,00035E+06 »" not in out  # an identifier is never printed


def test_unreadable_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "77-meaux_parcours_2025-S1.csv"
    path.write_bytes(b"<html><body>oups</body></html>")
    assert main(["check", str(path)]) == 1
    assert "FICHIER REFUSÉ" in capsys.readouterr().out


def _check_impossible_entry_dates(
    folder: Path, capsys: pytest.CaptureFixture[str], rows: int
) -> str:
    """What `iae check` prints for a pathways file whose `rows` lines all enter on 31 February."""
    lines = [parcours_row(f"A{n}", "31/02/2025") for n in range(rows)]
    path = write_csv(folder / "77-meaux_parcours_2025-S1.csv", PARCOURS_HEADER, lines)
    assert main(["check", str(path)]) == 1
    return capsys.readouterr().out


def test_a_rule_failing_on_many_rows_prints_the_first_ones_then_a_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _check_impossible_entry_dates(tmp_path, capsys, 40)
    assert out.count("ERREUR ") == 5
    assert "ligne 2, colonne « date_entree »" in out and "ligne 7," not in out
    assert (
        "… et 35 autre(s) ligne(s) avec le même problème et la même correction : "
        "lignes 7, 8, 9, " in out
    )
    assert ", 36 et 5 autres." in out  # thirty numbers (7 to 36), then how many more
    assert "40 ligne(s) lue(s), 0 acceptée(s), 40 en quarantaine" in out


def test_one_row_more_than_shown_is_named_as_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _check_impossible_entry_dates(tmp_path, capsys, 6)
    assert "même correction : ligne 7." in out


def test_an_oversized_file_is_refused_before_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IAE_TAILLE_MAX_FICHIER_MO", "0.001")
    rows = [parcours_row(f"A{n}", "05/01/2025") for n in range(20)]
    path = write_csv(tmp_path / "77-meaux_parcours_2025-S1.csv", PARCOURS_HEADER, rows)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "FICHIER REFUSÉ — Le fichier pèse 0,0 Mo (limite : 0,001 Mo)" in out
    assert "IAE_TAILLE_MAX_FICHIER_MO" in out


def test_verbose_adds_the_projects_detail_and_no_other_librarys_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(
        tmp_path / "77-meaux_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [parcours_row("A1", "05/01/2025")],
    )
    assert main(["check", str(path)]) == 0
    assert f"  {path.name}\n" not in capsys.readouterr().err
    assert main(["-v", "check", str(path)]) == 0
    assert f"  {path.name}\n" in capsys.readouterr().err  # the project's detail: each file read
    # What the libraries under the chain say while it runs (Dagster's storage, its migrations…).
    logging.getLogger("alembic.runtime.migration").info("Running stamp_revision  -> 29b539ebc72a")
    logging.getLogger("dagster").debug("Skipping registering function")
    logging.getLogger("great_expectations").warning("A library warning")
    err = capsys.readouterr().err
    assert "stamp_revision" not in err and "Skipping" not in err
    assert "A library warning" in err


def _follow_up_of_p1(folder: Path) -> Path:
    """Meaux's follow-up of « P1 », released on 14/03/2025, observed on 20/06/2025."""
    return write_csv(
        folder / "77-meaux_suivi_2025-S1.csv",
        SUIVI_HEADER,
        [["P1", "14/03/2025", "20/06/2025", "sans_solution", ""]],
    )


def test_a_follow_up_without_a_measure_in_the_checked_files_is_named_for_checking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No pathway of the person among the checked files: the measure may be in a file not given,
    so no error, but the follow-up file is named to check before sending (the run would reject
    the row)."""
    pathways = write_csv(
        tmp_path / "77-meaux_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [parcours_row("P2", "06/01/2025")],
    )
    follow_up = _follow_up_of_p1(tmp_path)
    assert main(["check", str(pathways), str(follow_up)]) == 0
    printed = capsys.readouterr()
    out = printed.out
    assert "1 fichier(s) de suivi à vérifier avant l'envoi" in out
    assert f": {follow_up.name}." in out and "une fois ces suivis vérifiés" in out
    assert "1 ligne(s) en quarantaine" not in out + printed.err  # a warning here, in every count


def test_a_measure_written_by_another_site_is_not_taken_for_this_site_s(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The person's measure is in another site's joined pathways: the run will reject the
    follow-up, so the check does not send the steward to join a file already joined."""
    elsewhere = write_csv(
        tmp_path / "94-fresnes_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [
            parcours_row(
                "P1",
                "06/01/2025",
                "14/03/2025",
                "liberation_fin_de_peine",
                "inconnue",
                mesure="oui",
            )
        ],
    )
    follow_up = _follow_up_of_p1(tmp_path)
    assert main(["check", str(elsewhere), str(follow_up)]) == 0
    out = capsys.readouterr().out
    assert "Aucun parcours de ce site avec mesure de suivi" in out
    assert "le fichier parcours de ce site" in out and "un autre site ne suffit pas" in out


def test_a_follow_up_of_a_joined_release_without_measure_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The joined pathway ends by that very release with `mesure_suivi = non`: no other file can
    make the follow-up lawful, so the check says so as the run will."""
    pathways = write_csv(
        tmp_path / "77-meaux_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [parcours_row("P1", "06/01/2025", "14/03/2025", "liberation_fin_de_peine", "inconnue")],
    )
    follow_up = _follow_up_of_p1(tmp_path)
    assert main(["check", str(pathways), str(follow_up)]) == 1
    out = capsys.readouterr().out
    assert f"ERREUR {follow_up.name}, ligne 2, colonne « date_sortie »" in out
    assert "s'est faite sans mesure de suivi" in out and "à vérifier avant l'envoi" not in out


@pytest.mark.parametrize(
    ("name", "window"),
    [
        ("03-moulins_parcours_2025-S1.csv", "2025-S1 (ouvert du 01/06/2016 au 31/12/2018)"),
        ("77-meaux_parcours_2016-S1.csv", "2016-S1 (ouvert depuis le 01/07/2017)"),
    ],
)
def test_a_file_for_a_period_the_site_was_closed_names_its_opening_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, window: str
) -> None:
    path = write_csv(tmp_path / name, PARCOURS_HEADER, [parcours_row("A1", "05/01/2025")])
    assert main(["check", str(path)]) == 1
    assert f"Le site n'était pas ouvert pendant la période {window}." in capsys.readouterr().out


def _check_staff(
    folder: Path, capsys: pytest.CaptureFixture[str], header: list[str], rows: list[list[str]]
) -> str:
    """What `iae check` prints for Meaux's 2025-S1 staff file, which it must find to fix."""
    path = write_csv(folder / "77-meaux_personnel_2025-S1.csv", header, rows)
    assert main(["check", str(path)]) == 1
    return capsys.readouterr().out


def test_the_message_and_its_fix_name_the_column_as_the_file_heads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _check_staff(
        tmp_path,
        capsys,
        ["Matricule", "Fonction", "Date d'arrivée", "Date de départ", "ETP"],
        [["S1", "cip", "01/01/2020", "", "1,5"]],
    )
    assert (
        "colonne « ETP » (etp) : « 1,5 » dépasse le maximum admis (1) dans la colonne « ETP ». "
        "À faire : Corrigez la valeur de « ETP » (maximum : 1)." in out
    )


def test_a_tiny_or_unreadable_staff_share_says_how_a_share_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _check_staff(
        tmp_path,
        capsys,
        ["identifiant_salarie", "fonction", "date_arrivee", "date_depart", "etp"],
        [["S1", "cip", "01/01/2020", "", "0,0001"], ["S2", "cip", "01/01/2020", "", "plein"]],
    )
    assert "2 ligne(s) lue(s), 1 acceptée(s), 1 en quarantaine, 1 avertissement(s)." in out
    assert "ligne 2, colonne « etp » (valeur « 0,0001 ») : Une quotité de moins de 10 %" in out
    assert "Écrivez une part d'un temps plein (par exemple 0,5 pour un mi-temps" in out


def test_a_row_shifted_by_a_delimiter_in_a_text_is_named_as_shifted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """« Motivé; sérieux » written without quotes: the row has one value more than the header,
    and every value after the remark sits one column to the right."""
    header = ["observations", *PARCOURS_HEADER]
    rows = [
        ["RAS", *parcours_row("A1", "05/01/2025")],
        ["Motivé; sérieux", *parcours_row("A2", "05/01/2025")],
    ]
    path = tmp_path / "77-meaux_parcours_2025-S1.csv"
    path.write_text("\n".join(";".join(row) for row in [header, *rows]) + "\n", encoding="utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        "AVERTISSEMENT 77-meaux_parcours_2025-S1.csv, ligne 3 : La ligne compte 1 valeur(s) de "
        "plus que l'en-tête n'a de colonnes" in out
    )
    assert "ligne 2" not in out and "ERREUR 77-meaux_parcours_2025-S1.csv, ligne 3, " in out


def test_a_file_and_its_corrected_version_are_both_checked_the_earlier_said_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A steward keeps the file and its `_v2` side by side: the run reads the latest only, and
    the check says so, still telling what is wrong with each."""
    exit_without_reason = parcours_row("A1", "05/01/2025", "20/05/2025")
    first = write_csv(
        tmp_path / "77-meaux_parcours_2025-S1.csv", PARCOURS_HEADER, [exit_without_reason]
    )
    corrected = write_csv(
        tmp_path / "77-meaux_parcours_2025-S1_v2.csv",
        PARCOURS_HEADER,
        [parcours_row("A1", "05/01/2025")],
    )
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{first.name} : 1 ligne(s) lue(s), 0 acceptée(s), 1 en quarantaine" in out
    assert f"seul « {corrected.name} » (même site, même export, même semestre) est lu" in out
    assert f"ERREUR {first.name}, ligne 2, colonne « motif_sortie »" in out
    assert f"{corrected.name} : 1 ligne(s) lue(s), 1 acceptée(s), 0 en quarantaine" in out
    assert out.index(first.name) < out.index(f"{corrected.name} : 1 ligne")


def test_a_failed_formula_is_an_error_told_as_the_spreadsheet_shows_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """« #N/A » was read as an empty cell: a follow-up measure or a diploma lost without a word,
    an identifier taken for a person. In a workbook, calamine gives no text for such a cell."""
    rows = [parcours_row(f"A{n}", "05/01/2025") for n in range(1, 4)]
    rows[0][PARCOURS_HEADER.index("mesure_suivi")] = "#N/A"
    rows[1][PARCOURS_HEADER.index("identifiant")] = "#REF!"
    path = tmp_path / "77-meaux_parcours_2025-S1.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, PARCOURS_HEADER)
    for line, row in enumerate(rows, start=1):
        sheet.write_row(line, 0, row)
    sheet.write_formula(3, PARCOURS_HEADER.index("heures_travaillees"), "=1/0", None, "#DIV/0!")
    workbook.close()

    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "3 ligne(s) lue(s), 0 acceptée(s), 3 en quarantaine" in out
    for line, column, shown in (
        (2, "mesure_suivi", "#N/A"),
        (3, "identifiant", "#REF!"),
        (4, "heures_travaillees", "#DIV/0!"),
    ):
        assert (
            f"ERREUR {path.name}, ligne {line}, colonne « {column} » : La cellule de la colonne "
            f"« {column} » affiche une erreur de formule du tableur (« {shown} »)"
        ) in out
    assert "obligatoire" not in out  # the identifier is told once, as a failed formula


def test_hours_that_read_in_thousands_or_decimals_and_counts_past_belief_are_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """« 1.200 » was read 1,2 hours; a phone number in a count of trainings was kept and summed."""
    rows = [parcours_row(f"A{n}", "05/01/2025") for n in range(1, 5)]
    rows[0][PARCOURS_HEADER.index("heures_travaillees")] = "1.200"
    rows[1][PARCOURS_HEADER.index("heures_travaillees")] = "1,250"
    rows[2][PARCOURS_HEADER.index("nb_formations")] = "0612345678"
    rows[3][PARCOURS_HEADER.index("heures_travaillees")] = "0,125"  # only decimals: read
    path = write_csv(tmp_path / "77-meaux_parcours_2025-S1.csv", PARCOURS_HEADER, rows)

    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "4 ligne(s) lue(s), 1 acceptée(s), 3 en quarantaine" in out
    for line, value in ((2, "1.200"), (3, "1,250")):
        assert (
            f"ligne {line}, colonne « heures_travaillees » : « {value} » se lit de deux façons"
        ) in out
    assert (
        "ligne 4, colonne « nb_formations » : La valeur (nombre de 9 chiffres, non reproduit) "
        "dépasse le maximum admis (50)"
    ) in out
    assert "612345678" not in out
