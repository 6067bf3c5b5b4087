"""Reading what office software writes: every shape of the same export gives the same typed rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from pipelines.codes import load_codes, look_up
from pipelines.contracts import load_contract
from pipelines.ingest.coercion import blank_placeholders, coerce
from pipelines.ingest.readers import LINE_COLUMN, read_table
from pipelines.messages import FileRejected
from tests.conftest import write_csv

CONTRACT = load_contract("parcours")
HEADER = [
    "Identifiant",
    "Sexe",
    "Année de naissance",
    "Date d’entrée",
    "Date de sortie",
    "Motif de sortie",
    "Situation à la sortie",
    "Heures travaillées",
    "CléA",
    "Mesure de suivi",
    "Observations",
    "Nom",
]
ROWS = [
    [
        "ab 123",
        "H",
        "1990",
        "05/07/2025",
        "",
        "",
        "",
        "312,5",
        "non",
        "oui",
        "Bon cœur à l’ouvrage",
        "Dupont",
    ],
    [
        "CD456",
        "f",
        "1985",
        "10/01/2025",
        "20/08/2025",
        "Liberation fin de peine",
        "emploi durable",
        "1 000",
        "Oui",
        "N",
        "",
        "Lefèvre",
    ],
]


def _read(path: Path) -> pl.DataFrame:
    table = read_table(path, CONTRACT.header_lookup(), CONTRACT.required_columns)
    typed, failures = coerce(table.frame, CONTRACT, load_codes(), keys=[LINE_COLUMN])
    assert failures.height == 0
    assert [c.lower() for c in table.dropped_columns] == ["« observations »", "« nom »"]
    return typed.drop(LINE_COLUMN)


def _point_decimals(rows: list[list[str]]) -> list[list[str]]:
    return [[cell.replace(",", ".").replace("1 000", "1000") for cell in row] for row in rows]


def _xlsx(path: Path, title: bool) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Export")
    dates = workbook.add_format({"num_format": "dd/mm/yyyy"})
    top = 0
    if title:
        sheet.write(0, 0, "Export IAE - 77-meaux - 2025-S2")
        top = 1
    sheet.write_row(top, 0, HEADER)
    for offset, row in enumerate(ROWS, start=top + 1):
        for col, cell in enumerate(row):
            if HEADER[col].startswith("Date") and cell:
                sheet.write_datetime(offset, col, dt.datetime.strptime(cell, "%d/%m/%Y"), dates)
            elif HEADER[col].startswith(("Heures", "Année")):
                sheet.write_number(offset, col, float(cell.replace(" ", "").replace(",", ".")))
            else:
                sheet.write(offset, col, cell)
    workbook.close()
    return path


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "mixed"])
def test_text_without_a_mark_or_of_two_encodings_reads_as_written(
    tmp_path: Path, encoding: str
) -> None:
    """UTF-16 saved without its byte-order mark, and a UTF-8 export a line was then added to in
    Windows-1252: same rows as the UTF-8 file."""
    reference = _read(write_csv(tmp_path / "utf8.csv", HEADER, ROWS))
    lines = [";".join(row) + "\n" for row in [HEADER, *ROWS]]
    if encoding == "mixed":
        data = "".join(lines[:-1]).encode("utf-8") + lines[-1].encode("cp1252")
    else:
        data = "".join(lines).encode(encoding)
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(data)
    assert _read(path).equals(reference)


def test_a_blank_template_sheet_before_the_data_is_passed_over(tmp_path: Path) -> None:
    path = tmp_path / "classeur.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("Modèle").write_row(0, 0, HEADER)
    data = workbook.add_worksheet("Export")
    for offset, row in enumerate([HEADER, *ROWS]):
        data.write_row(offset, 0, row)
    workbook.close()
    table = read_table(path, CONTRACT.header_lookup(), CONTRACT.required_columns)
    assert table.frame["identifiant"].to_list() == [ROWS[0][0], ROWS[1][0]]


def test_a_workbook_with_two_sheets_of_data_is_refused_naming_them(tmp_path: Path) -> None:
    """Last semester's sheet kept beside this one's: reading the bigger would deliver the wrong
    semester, reading either would drop the other's rows without a word. A hidden one is said
    to be hidden: the steward would not find it."""
    path = tmp_path / "classeur.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("Notice").write_row(0, 0, ["Remplir l'onglet du semestre"])
    for name, rows in (("S2 2025", ROWS), ("S1 2026", ROWS[:1]), ("S1 2025", ROWS)):
        sheet = workbook.add_worksheet(name)
        for offset, row in enumerate([HEADER, *rows]):
            sheet.write_row(offset, 0, row)
    sheet.hide()
    workbook.close()
    with pytest.raises(FileRejected) as refused:
        read_table(path, CONTRACT.header_lookup(), CONTRACT.required_columns)
    assert refused.value.finding.message == (
        "Le classeur a plusieurs onglets de données (« S2 2025 », « S1 2026 », « S1 2025 » "
        "(onglet masqué)) : la chaîne ne peut pas savoir lequel livrer."
    )


def test_every_shape_gives_the_same_typed_rows(tmp_path: Path) -> None:
    reference = _read(write_csv(tmp_path / "cp1252.csv", HEADER, ROWS, encoding="cp1252"))
    variants = [
        write_csv(
            tmp_path / "bom.csv", HEADER, _point_decimals(ROWS), encoding="utf-8-sig", delimiter=","
        ),
        write_csv(tmp_path / "utf8.csv", [h.upper() for h in HEADER], ROWS, encoding="utf-8"),
        write_csv(tmp_path / "utf16.txt", HEADER, ROWS, encoding="utf-16", delimiter="\t"),
        write_csv(tmp_path / "macintosh.csv", HEADER, ROWS, encoding="mac_roman"),
        _xlsx(tmp_path / "classeur.xlsx", title=True),
    ]
    for path in variants:
        assert _read(path).equals(reference), path.name
    first = reference.row(0, named=True)
    assert first["date_entree"] == dt.date(2025, 7, 5)
    assert first["heures_travaillees"] == 312.5
    assert reference["motif_sortie"].to_list() == [None, "liberation_fin_de_peine"]
    assert reference["mesure_suivi"].to_list() == [True, False]
    assert reference["sexe"].to_list() == ["H", "F"]


def test_cp1252_bytes_really_are_windows_1252(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cp1252.csv", HEADER, ROWS, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    table = read_table(path, CONTRACT.header_lookup(), CONTRACT.required_columns)
    assert table.encoding == "Windows-1252"


def test_an_excel_for_mac_csv_is_read_as_mac_roman(tmp_path: Path) -> None:
    """Excel for Mac's « CSV (Macintosh) »: « é » is byte 0x8E, which Windows-1252 reads « Ž »."""
    path = write_csv(tmp_path / "macintosh.csv", HEADER, ROWS, encoding="mac_roman")
    assert "Date d’entrée".encode("mac_roman").decode("cp1252", errors="replace") != "Date d’entrée"
    table = read_table(path, CONTRACT.header_lookup(), CONTRACT.required_columns)
    assert table.encoding == "Mac Roman (Excel pour Mac)"
    assert {"annee_naissance", "date_entree"} <= set(table.frame.columns)


def test_line_numbers_are_the_spreadsheet_ones(tmp_path: Path) -> None:
    csv_table = read_table(
        write_csv(tmp_path / "a.csv", HEADER, [*ROWS, [""] * len(HEADER)]),
        CONTRACT.header_lookup(),
        [],
    )
    assert csv_table.frame[LINE_COLUMN].to_list() == [2, 3]
    # a comment over three lines is one spreadsheet row: the next row is still row 4
    commented = [[*ROWS[0][:-2], "Très motivé\nassidu\nà revoir", ROWS[0][-1]], ROWS[1], ROWS[1]]
    csv_table = read_table(
        write_csv(tmp_path / "c.csv", HEADER, commented), CONTRACT.header_lookup(), []
    )
    assert csv_table.frame[LINE_COLUMN].to_list() == [2, 3, 4]
    xlsx_table = read_table(_xlsx(tmp_path / "b.xlsx", title=True), CONTRACT.header_lookup(), [])
    assert xlsx_table.header_line == 2
    assert xlsx_table.frame[LINE_COLUMN].to_list() == [3, 4]


def test_a_sum_under_a_required_column_is_no_staff_member(tmp_path: Path) -> None:
    """The full-time equivalents summed under the staff list: numbers only, no code nor date."""
    staff = load_contract("personnel")
    rows = [["S1", "cip", "01/01/2024", "", "1"], ["S2", "direction", "01/03/2024", "", "0,5"]]
    path = write_csv(
        tmp_path / "p.csv",
        ["identifiant_salarie", "fonction", "date_arrivee", "date_depart", "etp"],
        [*rows, ["", "", "", "", "1,5"], ["", "", "", "", "150 %"]],
    )
    table = read_table(path, staff.header_lookup(), staff.required_columns)
    assert table.frame[LINE_COLUMN].to_list() == [2, 3]
    # a staff member whose code and dates were left out, under the data, stays (its errors are
    # told), even with a number for identifier
    half = write_csv(
        tmp_path / "q.csv",
        ["identifiant_salarie", "fonction", "date_arrivee", "date_depart", "etp"],
        [*rows, ["1234", "", "", "", "1"]],
    )
    assert read_table(half, staff.header_lookup(), staff.required_columns).frame[
        LINE_COLUMN
    ].to_list() == [2, 3, 4]


def test_the_header_repeated_under_the_data_is_no_pathway(tmp_path: Path) -> None:
    """Two exports pasted one under the other: the second header and the note above it are
    passed over, its rows read."""
    note = ["Export complémentaire du 20/01/2026", *[""] * 11]
    path = write_csv(tmp_path / "p.csv", HEADER, [ROWS[0], note, HEADER, ROWS[1]])
    table = read_table(path, CONTRACT.header_lookup(), CONTRACT.required_columns)
    assert table.frame[LINE_COLUMN].to_list() == [2, 5]
    assert table.frame["identifiant"].to_list() == [ROWS[0][0], ROWS[1][0]]


def test_a_total_row_under_the_data_is_no_pathway(tmp_path: Path) -> None:
    """What a person or the site's software adds under an export: the sum of the hours, labelled
    in the first column or in a later one, or without a label; a line saying when and by what the
    file was printed, or how many lines it has."""
    total = ["TOTAL :", *[""] * 6, "1 312,5", *[""] * 4]
    general = ["", "", "", "", "", "", "Total général", "1 312,5", *[""] * 4]
    sums = [*[""] * 7, "1 312,5", *[""] * 4]
    printed = ["Fichier édité le 15/01/2026 par GESTIAE v3.2", *[""] * 11]
    counted = ["Nombre de lignes : 2", *[""] * 11]
    people = ["Nombre de personnes accompagnées", "2", *[""] * 10]
    staff = ["Effectif : 2", *[""] * 6, "1 312,5", *[""] * 4]
    footer = [total, general, [""] * len(HEADER), sums, printed, people, staff, counted]
    table = read_table(
        write_csv(tmp_path / "a.csv", HEADER, [*ROWS, *footer]),
        CONTRACT.header_lookup(),
        CONTRACT.required_columns,
    )
    assert table.frame[LINE_COLUMN].to_list() == [2, 3]
    # a pathway with an empty cell, under the data: still a pathway (its errors are told)
    half = ["EF789", "", "", "05/07/2025", *[""] * 8]
    table = read_table(
        write_csv(tmp_path / "c.csv", HEADER, [*ROWS, half]),
        CONTRACT.header_lookup(),
        CONTRACT.required_columns,
    )
    assert table.frame[LINE_COLUMN].to_list() == [2, 3, 4]
    # a pathway whose identifier merely starts like the word stays
    kept = [["TOTALE1", *ROWS[0][1:]]]
    table = read_table(write_csv(tmp_path / "b.csv", HEADER, kept), CONTRACT.header_lookup(), [])
    assert table.frame["identifiant"].to_list() == ["TOTALE1"]


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (b"", "fichier_vide"),
        (bytes(range(256)) * 40, "fichier_binaire"),
        (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
            "fichier_binaire",
        ),
        (
            b"<!DOCTYPE html><html><body><table><tr><td>identifiant</td></tr></table></body></html>",
            "fichier_html",
        ),
        (b"identifiant:sexe:date_entree\nA:H:01/01/2025\n", "entete_non_reconnu"),
        (
            "identifiant;sexe;date_entree;Date d'entrée\nA;H;01/01/2025;01/01/2025\n".encode(),
            "entete_duplique",
        ),
        (b"identifiant;date_entree\nA;01/01/2025\n", "colonne_obligatoire_absente"),
        (b"PK\x03\x04 not really a workbook", "classeur_illisible"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(
    tmp_path: Path, content: bytes, rule: str
) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    with pytest.raises(FileRejected) as refused:
        read_table(path, CONTRACT.header_lookup(), CONTRACT.required_columns)
    assert refused.value.finding.rule == rule
    assert refused.value.finding.correction


def test_a_quote_never_closed_refuses_the_file_rather_than_lose_its_rows(tmp_path: Path) -> None:
    """`"Martin` opens a quoted cell that runs to the end of the file: the rows after it would
    vanish into it. A comment written over two lines inside closed quotes is one cell."""
    third = ["EF789", *ROWS[0][1:]]
    stray = [*ROWS[1][:-1], '"Martin']
    path = tmp_path / "guillemet.csv"
    path.write_text("\n".join(";".join(r) for r in [HEADER, ROWS[0], stray, third]), "utf-8")
    with pytest.raises(FileRejected) as refused:
        read_table(path, CONTRACT.header_lookup(), CONTRACT.required_columns)
    assert refused.value.finding.rule == "guillemet_non_ferme"
    assert refused.value.finding.line == 3
    comment = [*ROWS[1][:-2], '"Très motivé ; assidu\nà revoir"', ROWS[1][-1]]
    path.write_text("\n".join(";".join(r) for r in [HEADER, ROWS[0], comment, third]), "utf-8")
    table = read_table(path, CONTRACT.header_lookup(), CONTRACT.required_columns)
    assert table.frame["identifiant"].to_list() == ["ab 123", "CD456", "EF789"]


def test_a_first_row_with_one_known_heading_is_the_header_missing_a_column(
    tmp_path: Path,
) -> None:
    """The national extract with names instead of the identifier: told as a missing column, the
    other headings named, rather than as a file without header."""
    extract = load_contract("reincarcerations")
    path = tmp_path / "national_reincarcerations_2025-S2.csv"
    path.write_text("Nom;Prénom;Date d'écrou\nX;Y;05/09/2025\n", encoding="utf-8")
    with pytest.raises(FileRejected) as refused:
        read_table(path, extract.header_lookup(), extract.required_columns)
    assert refused.value.finding.message == (
        "Colonne obligatoire absente : identifiant. Intitulés non reconnus sur cette ligne : "
        "« Nom », « Prénom »."
    )
    # one known word further down, under a title, is no header
    titled = tmp_path / "titre.csv"
    titled.write_text("Extrait;du;mois\nNom;Date d'écrou\nX;05/09/2025\n", encoding="utf-8")
    with pytest.raises(FileRejected) as refused:
        read_table(titled, extract.header_lookup(), extract.required_columns)
    assert refused.value.finding.rule == "entete_non_reconnu"


def test_a_missing_column_is_told_with_the_headings_read_and_those_accepted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "f.csv"
    path.write_text("Matricule;Sexe;Date d'entrée\nA1;H;05/01/2025\n", encoding="utf-8")
    with pytest.raises(FileRejected) as refused:
        read_table(path, CONTRACT.header_lookup(), CONTRACT.required_columns)
    finding = refused.value.finding
    assert finding.message == (
        "Colonne obligatoire absente : identifiant. Intitulés non reconnus sur cette ligne : "
        "« Matricule »."
    )
    assert "(identifiant : identifiant, id, id personne" in finding.correction


@pytest.mark.parametrize(
    ("heading", "column"),
    [
        ("N°écrou", "identifiant"),
        ("Identifiant détenu", "identifiant"),
        ("H/F", "sexe"),
        ("Date d'entrée dans l'atelier", "date_entree"),
        ("Entrée atelier", "date_entree"),
        ("Date d'embauche", "date_entree"),
        ("Date de sortie de l'atelier", "date_sortie"),
        ("Date de fin de contrat", "date_sortie"),
        ("Date de libération", "date_sortie"),
    ],
)
def test_headings_of_site_software_name_their_column(heading: str, column: str) -> None:
    assert look_up(CONTRACT.header_lookup(), heading) == column


def test_headers_and_codes_as_people_write_them(tmp_path: Path) -> None:
    """Articles, a unit in brackets, a French label instead of the code, thousands and percents."""
    header = [
        "N° écrou",
        "Sexe",
        "Date d'entrée",
        "Date de sortie",
        "Motif de sortie",
        "Type d'aménagement",
        "Situation à la sortie",
        "Nb d'heures travaillées",
        "Quantum de peine (en mois)",
        "Date d'orientation en CPU",
    ]
    rows = [
        [
            "A1",
            "Homme",
            "05/01/2025",
            "30/04/2025",
            "Libération sous aménagement de peine",
            "Placement à l'extérieur",
            "Recherche d'emploi",
            "1.012,5",
            "18",
            "02/12/2024",
        ]
    ]
    table = read_table(
        write_csv(tmp_path / "f.csv", header, rows),
        CONTRACT.header_lookup(),
        CONTRACT.required_columns,
    )
    assert table.dropped_columns == ()
    typed, failures = coerce(table.frame, CONTRACT, load_codes(), keys=[LINE_COLUMN])
    assert failures.height == 0
    row = typed.row(0, named=True)
    assert (row["motif_sortie"], row["type_amenagement"], row["situation_sortie"]) == (
        "liberation_amenagement",
        "PE",
        "recherche_emploi",
    )
    assert (row["heures_travaillees"], row["quantum_peine_mois"]) == (1012.5, 18)
    assert row["date_orientation_cpu"] == dt.date(2024, 12, 2)


def test_a_staff_share_written_as_a_percentage() -> None:
    contract = load_contract("personnel")
    frame = pl.DataFrame(
        {LINE_COLUMN: [2, 3, 4], "etp": ["80 %", "0,5", "1"]},
        schema_overrides={LINE_COLUMN: pl.Int32},
    )
    typed, failures = coerce(frame, contract, load_codes(), keys=[LINE_COLUMN])
    assert failures.height == 0
    assert typed["etp"].to_list() == [0.8, 0.5, 1.0]


@pytest.mark.parametrize(
    "heading", ["Quotité (%)", "ETP en %", "Temps de travail (pourcentage)", "Quotité"]
)
def test_a_staff_share_under_a_percentage_heading(tmp_path: Path, heading: str) -> None:
    """The heading gives the unit: 100 and 50 are full and half time; a share already written as
    one (0,5 or 1) or with its sign (80 %) reads as it does under « ETP »."""
    contract = load_contract("personnel")
    shares = ["100", "50", "0,5", "1", "80 %", "37,5"]
    path = write_csv(
        tmp_path / "p.csv",
        ["Identifiant salarié", "Fonction", "Date d'arrivée", heading],
        [[f"S{n}", "cip", "01/01/2025", share] for n, share in enumerate(shares)],
    )
    table = read_table(path, contract.header_lookup(), contract.required_columns)
    typed, failures = coerce(table.frame, contract, load_codes(), keys=[LINE_COLUMN])
    assert failures.height == 0 and table.dropped_columns == ()
    assert typed["etp"].to_list() == [1.0, 0.5, 0.5, 1.0, 0.8, 0.375]
    plain = write_csv(
        tmp_path / "q.csv",
        ["Identifiant salarié", "Fonction", "Date d'arrivée", "ETP"],
        [["S", "cip", "01/01/2025", "50"]],
    )
    table = read_table(plain, contract.header_lookup(), contract.required_columns)
    assert coerce(table.frame, contract, load_codes(), keys=[LINE_COLUMN])[0]["etp"].to_list() == [
        50.0
    ]


def test_no_two_codes_or_columns_share_a_spelling() -> None:
    """A label or alias that simplified to another code's spelling would silently misread it."""
    from pipelines.codes import spellings
    from pipelines.contracts import EXPORT_TYPES

    for nomenclature in load_codes().nomenclatures.values():
        for code in nomenclature.codes:
            assert nomenclature.canonical(code.code) == code.code
            for key in spellings(code.libelle):
                assert nomenclature.aliases[key] == code.code, (nomenclature.name, code.libelle)
    for name in EXPORT_TYPES:
        contract = load_contract(name)
        lookup = contract.header_lookup()
        for column in contract.columns:
            for alias in column.aliases:
                assert lookup[spellings(alias)[0]] == column.name, (name, alias)


def test_dates_as_office_software_writes_them() -> None:
    """A short date has a two-digit year (not the year 26); a CSV of a long-date column holds the
    French text the cell showed; an impossible date stays a type failure."""
    written = [
        ("05/01/26", dt.date(2026, 1, 5)),
        ("5.7.25", dt.date(2025, 7, 5)),
        ("3 mars 2026", dt.date(2026, 3, 3)),
        ("mardi 3 mars 2026", dt.date(2026, 3, 3)),
        ("1er févr. 2026", dt.date(2026, 2, 1)),
        ("15 AOÛT 2025", dt.date(2025, 8, 15)),
        ("05/07/2026", dt.date(2026, 7, 5)),
        ("01-juil.-25", dt.date(2025, 7, 1)),  # the spreadsheet's « jj-mmm-aa »
        ("8-sept-2025", dt.date(2025, 9, 8)),
        ("31/02/26", None),
        ("31 juin 2026", None),
        ("31-févr.-25", None),
    ]
    frame = pl.DataFrame(
        {LINE_COLUMN: range(2, 2 + len(written)), "date_entree": [text for text, _ in written]},
        schema_overrides={LINE_COLUMN: pl.Int32},
    )
    typed, failures = coerce(frame, CONTRACT, load_codes(), keys=[LINE_COLUMN])
    assert typed["date_entree"].to_list() == [day for _, day in written]
    assert failures["valeur"].to_list() == ["31/02/26", "31 juin 2026", "31-févr.-25"]


def test_cells_that_say_nothing_are_empty_not_errors() -> None:
    """« en cours » for an open pathway's exit, « NC », « 00/00/0000 », « - », « Néant »: what a
    spreadsheet writes for nothing is read as an empty cell, not a value to fix."""
    placeholders = ["en cours", "NC", "00/00/0000", "-", "Néant", "n/a"]
    frame = pl.DataFrame(
        {
            LINE_COLUMN: range(2, 2 + len(placeholders)),
            "date_sortie": placeholders,
            "clea_obtenu": placeholders,
            "nb_formations": placeholders,
            "situation_sortie": ["inconnue", *placeholders[1:]],  # a code is never blanked
        },
        schema_overrides={LINE_COLUMN: pl.Int32},
    )
    codes = load_codes()
    typed, failures = coerce(
        blank_placeholders(frame, CONTRACT, codes), CONTRACT, codes, keys=[LINE_COLUMN]
    )
    assert failures.is_empty()
    for column in ("date_sortie", "clea_obtenu", "nb_formations"):
        assert typed[column].null_count() == len(placeholders), column
    assert typed["situation_sortie"].to_list() == ["inconnue", *[None] * 5]
    # « N » is a no, not the « N/A » it reads as once the article of « n/a » is dropped
    answers = pl.DataFrame(
        {LINE_COLUMN: [2, 3, 4, 5, 6, 7], "clea_obtenu": ["N", "n", "N/A", "O", "✓", " ✔ "]},
        schema_overrides={LINE_COLUMN: pl.Int32},
    )
    typed, failures = coerce(
        blank_placeholders(answers, CONTRACT, codes), CONTRACT, codes, keys=[LINE_COLUMN]
    )
    # and a tick alone, a sign elsewhere, is a yes in a yes/no column
    assert failures.is_empty()
    assert typed["clea_obtenu"].to_list() == [False, False, None, True, True, True]


def test_hours_and_months_written_with_their_unit() -> None:
    frame = pl.DataFrame(
        {
            LINE_COLUMN: [2, 3, 4],
            "heures_travaillees": ["120 h", "12,5 heures", "80 ans"],
            "quantum_peine_mois": ["18 mois", "6", "2 ans"],
        },
        schema_overrides={LINE_COLUMN: pl.Int32},
    )
    typed, failures = coerce(frame, CONTRACT, load_codes(), keys=[LINE_COLUMN])
    assert typed["heures_travaillees"].to_list() == [120.0, 12.5, None]
    assert typed["quantum_peine_mois"].to_list() == [18, 6, None]
    assert sorted(failures["valeur"].to_list()) == ["2 ans", "80 ans"]


def test_a_code_or_an_answer_written_with_a_doubt_is_not_taken_for_certain() -> None:
    """« CDI ? » and « Oui ? » stay as written: the code rule and the yes/no type name them (a
    doubtful « oui » for the follow-up measure would let a follow-up through)."""
    frame = pl.DataFrame(
        {
            LINE_COLUMN: [2, 3],
            "situation_sortie": ["CDI ?", "CDI"],
            "mesure_suivi": ["Oui ?", "Oui"],
        },
        schema_overrides={LINE_COLUMN: pl.Int32},
    )
    typed, failures = coerce(frame, CONTRACT, load_codes(), keys=[LINE_COLUMN])
    assert typed["situation_sortie"].to_list() == ["CDI ?", "emploi_durable"]
    assert typed["mesure_suivi"].to_list() == [None, True]
    assert failures.select("colonne", "valeur").rows() == [("mesure_suivi", "Oui ?")]


def test_thousands_grouped_either_way_read_as_the_same_hours() -> None:
    """The decimal mark is the last of a comma and a point: « 1,234.5 » (an English export) is
    the « 1.234,5 » of a French one, not 1,2345 hours."""
    written = ["1,234.5", "1.234,5", "1 234,5", "1234.5", "12,5", "12.5"]
    frame = pl.DataFrame(
        {LINE_COLUMN: range(2, 2 + len(written)), "heures_travaillees": written},
        schema_overrides={LINE_COLUMN: pl.Int32},
    )
    typed, failures = coerce(frame, CONTRACT, load_codes(), keys=[LINE_COLUMN])
    assert failures.is_empty()
    assert typed["heures_travaillees"].to_list() == [1234.5] * 4 + [12.5] * 2


@pytest.mark.parametrize(
    ("export", "column", "written", "code"),
    [
        ("personnel", "fonction", "Chargée d'insertion professionnelle", "cip"),
        ("personnel", "fonction", "Accompagnateur socioprofessionnel", "cip"),
        ("personnel", "fonction", "Encadrante technique d'insertion", "encadrant_technique"),
        ("personnel", "fonction", "Directrice", "direction"),
        ("personnel", "fonction", "Accompagnatrice socio-professionnelle", "cip"),
        ("suivi", "situation", "Réincarcérée", "reincarcere"),
        ("suivi", "situation", "Demandeur d'emploi", "recherche_emploi"),
        ("suivi", "situation", "NSP", "inconnue"),
        ("suivi", "situation", "Non renseigné", "inconnue"),
        ("suivi", "situation", "CDI", "emploi_durable"),
        ("suivi", "situation", "Intérim", "emploi_transition"),
        ("suivi", "situation", "Inscrit à France Travail", "recherche_emploi"),
        ("suivi", "situation", "Perdu de vue", "inconnue"),
        ("parcours", "situation_sortie", "Intérim", "emploi_transition"),
        ("parcours", "statut_penal", "Prévenue", "prevenu"),
        ("parcours", "niveau_diplome", "Bac pro", "bac"),
        ("parcours", "niveau_diplome", "Brevet", "aucun"),
        ("parcours", "niveau_diplome", "Bac+2", "superieur"),
        ("parcours", "sexe", "Mme", "F"),
        ("parcours", "sexe", "Monsieur", "H"),
        ("parcours", "motif_sortie", "Fin de peine", "liberation_fin_de_peine"),
        ("parcours", "type_amenagement", "Bracelet électronique", "PSE"),
        ("parcours", "situation_sortie", "CDI", "emploi_durable"),
        ("parcours", "situation_sortie", "Non renseigné", "inconnue"),
    ],
)
def test_codes_in_the_feminine_or_as_sites_name_them(
    export: str, column: str, written: str, code: str
) -> None:
    frame = pl.DataFrame(
        {LINE_COLUMN: [2], column: [written]}, schema_overrides={LINE_COLUMN: pl.Int32}
    )
    typed, _ = coerce(frame, load_contract(export), load_codes(), keys=[LINE_COLUMN])
    assert typed[column].to_list() == [code]


def test_a_planned_release_date_in_brackets_is_not_the_exit_date(tmp_path: Path) -> None:
    """« Date de libération » is the exit date; « (prévisionnelle) » makes it another column,
    left out, not a second exit date that refuses the file."""
    header = [*HEADER, "Date de libération (prévisionnelle)"]
    rows = [[*row, "31/12/2026"] for row in ROWS]
    path = write_csv(tmp_path / "p.csv", header, rows)
    table = read_table(path, CONTRACT.header_lookup(), CONTRACT.required_columns)
    assert table.frame["date_sortie"].to_list() == [None, "20/08/2025"]
    assert len(table.dropped_columns) == 3
