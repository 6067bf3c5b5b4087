"""Turn whatever a site sent into rows of text cells, each with its spreadsheet line number.

Office software writes CSV in Windows-1252, UTF-8 (with or without BOM) or UTF-16, with `;`, `,` or
tabs, sometimes with a title above the header and blank rows or a « Total » row below; or an Excel
workbook. The file's
bytes decide how it is read, not its extension. Anything unreadable raises `FileRejected` with a
French reason; nothing here knows about pseudonymisation or rules.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import polars as pl

from pipelines.codes import look_up, simplify
from pipelines.messages import reject

LINE_COLUMN = "ligne_source"
_HEADER_SEARCH_ROWS = 15
_DELIMITERS = (";", ",", "\t", "|")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# Documents and images sent instead of an export: a short PDF is mostly printable text.
_OTHER_FORMATS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
# What a summary row's first cell says (simplified): it adds up the rows above, it is no pathway.
_SUMMARY_LABELS = ("total", "totaux", "sous_total", "sous_totaux")


@dataclass(frozen=True)
class TextTable:
    """Cells as text, columns renamed to contract names, plus `ligne_source`."""

    frame: pl.DataFrame
    dropped_columns: tuple[str, ...]
    missing_columns: tuple[str, ...]
    # contract column → the file's heading for it where it differs, as messages tell it
    # (« Date de sortie »)
    headings: dict[str, str]
    header_line: int
    encoding: str | None
    delimiter: str | None
    # line → how many values a text file's row holds past its header's last column: a value
    # holding the delimiter without quotes shifted the cells after it
    overflowing: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Grid:
    rows: list[list[str]]
    lines: list[int]
    encoding: str | None = None
    delimiter: str | None = None
    hidden: bool = False  # a workbook's sheet the spreadsheet does not show


def read_table(
    path: Path, header_lookup: dict[str, str], required: list[str], max_rows: int | None = None
) -> TextTable:
    """Read a delivery file; `header_lookup` maps simplified header spellings to contract names.

    Above `max_rows` data rows the file is refused, counted before it is parsed (a text file's
    lines, a workbook read no further than the limit) so that a huge file costs little memory.
    """
    data = path.read_bytes()
    if not data.strip():
        raise reject("fichier_vide")
    if data.startswith(_OTHER_FORMATS):
        raise reject("fichier_binaire")
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        grid = _read_workbook(path, data, header_lookup, max_rows)
    else:
        grid = _read_text(data, header_lookup, max_rows)
    table = _to_table(grid, header_lookup, required)
    _refuse_above(table.frame.height, max_rows)
    return table


def _refuse_above(rows: int, max_rows: int | None, slack: int = 0) -> None:
    """Refuse more than `max_rows` data rows; `slack` allows for the title and header lines of a
    count taken before the header is found."""
    if max_rows is not None and rows > max_rows + slack:
        raise reject("trop_de_lignes", detail=f"{max_rows:,}".replace(",", "\u202f"))


# --- text files -------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 (BOM)"
    if (utf16 := _utf16_without_bom(data[:4096])) is not None:
        return data.decode(utf16, errors="replace"), "UTF-16"
    if b"\x00" in data[:4096]:
        raise reject("fichier_binaire")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return _line_by_line(data)


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text saved without its mark: plain letters, each with a zero byte on the same side."""
    even, odd = head[0::2], head[1::2]
    if len(head) >= 8 and odd.count(0) > 0.9 * len(odd) and 0 not in even:
        return "utf-16-le"
    if len(head) >= 8 and even.count(0) > 0.9 * len(even) and 0 not in odd:
        return "utf-16-be"
    return None


# Single-byte encodings of office software, with the name a steward knows them by: Windows, and
# the « CSV (Macintosh) » of Excel for Mac.
_SINGLE_BYTE = {"cp1252": "Windows-1252", "mac_roman": "Mac Roman (Excel pour Mac)"}
# Lower-case only: the other encoding reads them as capitals or signs (« é » in Windows-1252 is
# « È » in Mac Roman, « é » in Mac Roman is « Ž » in Windows-1252).
_FRENCH_LETTERS = frozenset("àâäçéèêëîïôöùûüÿœæ’")


def _line_by_line(data: bytes) -> tuple[str, str]:
    """A single-byte encoding, or lines of it and UTF-8: a UTF-8 file a line was added to in
    Windows-1252 keeps its UTF-8 header readable (decoded whole as Windows-1252, « Date d’entrée »
    was unrecognisable)."""
    lines: list[bytes | str] = []
    utf8 = False
    for line in data.splitlines(keepends=True):
        try:
            lines.append(line.decode("utf-8"))
            utf8 = utf8 or not line.isascii()
        except UnicodeDecodeError:
            lines.append(line)
    legacy = b"".join(line for line in lines if isinstance(line, bytes))
    encoding = max(_SINGLE_BYTE, key=lambda e: _french_letters(legacy.decode(e, errors="replace")))
    text = "".join(
        line.decode(encoding, errors="replace") if isinstance(line, bytes) else line
        for line in lines
    )
    name = _SINGLE_BYTE[encoding]
    return text, f"UTF-8 et {name} mêlés" if utf8 else name


def _french_letters(text: str) -> int:
    """How many French lower-case accented letters (and apostrophes) the text holds, which only
    the right single-byte encoding reads as such."""
    return sum(char in _FRENCH_LETTERS for char in text)


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return (
        head.startswith(("<!doctype html", "<html", "<?xml")) or "<table" in head or "<body" in head
    )


def _read_text(data: bytes, header_lookup: dict[str, str], max_rows: int | None) -> _Grid:
    text, encoding = _decode(data)
    if _looks_like_html(text):
        raise reject("fichier_html")
    if _control_characters(text[:8192]):
        raise reject("fichier_binaire")
    _refuse_above(text.count("\n"), max_rows, slack=_HEADER_SEARCH_ROWS)
    head = "\n".join(text.splitlines()[:_HEADER_SEARCH_ROWS])
    delimiter = max(_DELIMITERS, key=lambda d: _header_score(_parse_csv(head, d)[0], header_lookup))
    rows, lines = _parse_csv(text, delimiter)
    swallowed = _unclosed_quote(rows, lines, delimiter)
    if swallowed is not None:
        raise reject("guillemet_non_ferme", line=swallowed)
    return _Grid(rows, lines, encoding, delimiter)


# A cell spanning several lines, one of which holds this many separators, is rows swallowed.
_SWALLOWED_SEPARATORS = 3


def _unclosed_quote(rows: list[list[str]], lines: list[int], delimiter: str) -> int | None:
    """The line of a quote opened and never closed (`"Martin` in a names column): every line up
    to the next quote is read as part of that one cell, so their rows would silently vanish. A
    comment written over several lines is no such cell: its lines hold no row of separators."""
    for row, line in zip(rows, lines, strict=True):
        for cell in row:
            following = cell.split("\n")[1:]
            if any(part.count(delimiter) >= _SWALLOWED_SEPARATORS for part in following):
                return line
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _control_characters(sample: str) -> bool:
    return len(_CONTROL.findall(sample)) > max(3, len(sample) // 100)


def _parse_csv(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """Records and the spreadsheet row of each (header = row 1 if first): a spreadsheet opens
    a cell written over several lines as one row, and a blank line as an empty row."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return rows, list(range(1, len(rows) + 1))


# --- workbooks --------------------------------------------------------------------------------


def _read_workbook(
    path: Path, data: bytes, header_lookup: dict[str, str], max_rows: int | None
) -> _Grid:
    try:
        workbook = fastexcel.read_excel(data)
        candidates = [
            _sheet_grid(path, workbook, index, max_rows)
            for index, _ in enumerate(workbook.sheet_names)
        ]
    # calamine raises many kinds of errors; the steward only needs to know it failed
    except Exception as error:
        raise reject("classeur_illisible") from error
    # The sheet whose header reads best; between equals (a blank template left as the first
    # sheet, the data on the next one), the one with rows under its header. Two such sheets (last
    # semester's tab kept beside this one's, a history) are refused: reading either would
    # deliver the wrong semester or drop rows without a word.
    scores = [_header_score(grid.rows, header_lookup) for grid in candidates]
    filled = [_rows_under_header(grid.rows, header_lookup) for grid in candidates]
    best = max(scores)
    with_data = [i for i, score in enumerate(scores) if score == best and filled[i]]
    if best and len(with_data) > 1:
        names = ", ".join(
            f"« {workbook.sheet_names[i]} »" + (" (onglet masqué)" if candidates[i].hidden else "")
            for i in with_data
        )
        raise reject("onglets_multiples", detail=names)
    return candidates[max(range(len(candidates)), key=lambda i: (scores[i], filled[i]))]


def _sheet_grid(
    path: Path, workbook: fastexcel.ExcelReader, index: int, max_rows: int | None
) -> _Grid:
    """A sheet's cells; with `max_rows`, read no further than enough rows to exceed it."""
    limit = None if max_rows is None else max_rows + _HEADER_SEARCH_ROWS + 1
    sheet = workbook.load_sheet(index, header_row=None, dtypes="string", n_rows=limit)
    table, errors = sheet.to_arrow_with_errors()
    rows = [
        ["" if cell is None else str(cell) for cell in row]
        for row in pl.from_arrow(table).iter_rows()
    ]
    for error in errors.errors if errors else []:
        row, column = error.position
        rows[row][column] = _formula_error(error.detail)
    first = _first_used_row(path, index)
    return _Grid(rows, list(range(first, first + len(rows))), hidden=sheet.visible != "visible")


# A failed formula as calamine names it (« Error(NA) »), and as a French spreadsheet shows it.
_FORMULA_ERRORS = {
    "NA": "#N/A",
    "Ref": "#REF!",
    "Value": "#VALEUR!",
    "Div0": "#DIV/0!",
    "Name": "#NOM?",
    "Num": "#NOMBRE!",
    "Null": "#NUL!",
}


def _formula_error(detail: str) -> str:
    """The cell as the steward sees it in the spreadsheet (pipelines/ingest/prepare.py reports
    it), rather than an empty cell."""
    kind = re.search(r"Error\((\w+)\)", detail)
    name = kind.group(1) if kind else "ERREUR"
    return _FORMULA_ERRORS.get(name, f"#{name.upper()}!")


_ROW = re.compile(rb'<row[^>]*\br="(\d+)"[^>]*>(.*?)</row>', re.S)


def _first_used_row(path: Path, index: int) -> int:
    """The sheet row number of the first row holding a value (calamine drops the empty ones above)."""
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read(_sheet_part(archive, index))
    except (KeyError, zipfile.BadZipFile):
        return 1  # .xls / .ods: no row numbers to recover, count from the top
    for match in _ROW.finditer(xml):
        if b"<v>" in match.group(2) or b"<is>" in match.group(2) or b"<v " in match.group(2):
            return int(match.group(1))
    return 1


def _sheet_part(archive: zipfile.ZipFile, index: int) -> str:
    """The worksheet XML of the index-th sheet, following workbook.xml and its relationships."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rel_ids = re.findall(r'<sheet\b[^>]*\br:id="([^"]+)"', workbook)
    targets = {
        _attribute(element, "Id"): _attribute(element, "Target")
        for element in re.findall(r"<Relationship\b[^>]*>", rels)
    }
    target = targets[rel_ids[index]].lstrip("/")
    return target if target.startswith("xl/") else f"xl/{target}"


def _attribute(element: str, name: str) -> str:
    match = re.search(rf'\b{name}="([^"]*)"', element)
    return match.group(1) if match else ""


# --- from a grid of cells to a table --------------------------------------------------------------


def _header_score(rows: list[list[str]], header_lookup: dict[str, str]) -> int:
    return max((_row_score(row, header_lookup) for row in rows[:_HEADER_SEARCH_ROWS]), default=0)


def _rows_under_header(rows: list[list[str]], header_lookup: dict[str, str]) -> int:
    """The filled rows under a sheet's best header row (none on a blank template)."""
    head = rows[:_HEADER_SEARCH_ROWS]
    if not head:
        return 0
    header = max(range(len(head)), key=lambda i: _row_score(head[i], header_lookup))
    return sum(any(cell.strip() for cell in row) for row in rows[header + 1 :])


def _row_score(row: list[str], header_lookup: dict[str, str]) -> int:
    return len({look_up(header_lookup, cell) for cell in row} - {None})


def _to_table(grid: _Grid, header_lookup: dict[str, str], required: list[str]) -> TextTable:
    header_index = _find_header(grid, header_lookup, required)
    header = grid.rows[header_index]
    header_line = grid.lines[header_index]
    mapping = _map_header(header, header_lookup, header_line)
    body = [
        (line, row)
        for line, row in zip(
            grid.lines[header_index + 1 :], grid.rows[header_index + 1 :], strict=True
        )
        if any(cell.strip() for cell in row)
        and not _is_summary(row)
        and not _repeats_header(row, mapping, header_lookup)
    ]
    body = _without_footer(body, [i for i, name in mapping.items() if name in required])
    percent = {i for i in mapping if _PERCENT_HEADING.search(header[i])}
    columns = {
        name: [_cell(row, i, percent=i in percent) for _, row in body]
        for i, name in mapping.items()
    }
    frame = pl.DataFrame(
        {LINE_COLUMN: [line for line, _ in body], **columns},
        schema={LINE_COLUMN: pl.Int32, **dict.fromkeys(columns, pl.String)},
    )
    wanted = set(header_lookup.values())
    return TextTable(
        frame=frame,
        dropped_columns=tuple(
            told_heading(c, i) for i, c in enumerate(header) if i not in mapping and c.strip()
        ),
        missing_columns=tuple(sorted(wanted - set(mapping.values()))),
        headings={
            name: told
            for i, name in mapping.items()
            if (told := told_heading(header[i], i)) != f"« {name} »"
        },
        header_line=header_line,
        encoding=grid.encoding,
        delimiter=grid.delimiter,
        overflowing=_overflowing(body, len(header)) if grid.delimiter else {},
    )


def _overflowing(body: list[tuple[int, list[str]]], width: int) -> dict[int, int]:
    """The rows of a text file with values past the header's last column, and how many."""
    extra = {line: sum(1 for cell in row[width:] if cell.strip()) for line, row in body}
    return {line: count for line, count in extra.items() if count}


_NUMBER = r"\d+(?:[.,]\d+)?"
# A number as a sum row prints it: « 1,5 », « 12 », « 150 % ».
_SUM = re.compile(rf"-?{_NUMBER}\s*%?")
# A heading that gives its unit as a percentage: « Quotité (%) », « ETP en % », « Pourcentage »,
# and « Quotité » alone, which payroll software and HR write as a percentage (80 for 80 %).
_PERCENT_HEADING = re.compile(r"%|pourcent|quotit", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(_NUMBER)


def _cell(row: list[str], index: int, *, percent: bool) -> str | None:
    """A cell's text, or None when blank. Under a percentage heading a number above 1 is a
    percentage (« 50 » → « 50 % »); 1 or less is already a share (nobody works 1 % of the time)."""
    text = row[index].strip() if index < len(row) else ""
    if percent and _PLAIN_NUMBER.fullmatch(text) and float(text.replace(",", ".")) > 1:
        return f"{text} %"
    return text or None


def _without_footer(
    body: list[tuple[int, list[str]]], required: list[int]
) -> list[tuple[int, list[str]]]:
    """The rows without what office software prints under the data: trailing rows that fill none
    of the required columns (sums without a label), or one cell only with a sentence or a number
    (« Fichier édité le 15/01/2026 par … », « Nombre de lignes : 6 », the sum of the ETP under
    their column). A pathway or a staff member fills its required columns."""

    def footer(row: list[str]) -> bool:
        filled = [cell.strip() for cell in row if cell.strip()]
        no_required = bool(required) and not any(i < len(row) and row[i].strip() for i in required)
        alone = len(filled) == 1 and (
            " " in filled[0] or ":" in filled[0] or bool(_SUM.fullmatch(filled[0]))
        )
        return no_required or alone

    end = len(body)
    while end and footer(body[end - 1][1]):
        end -= 1
    return body[:end]


def _repeats_header(row: list[str], mapping: dict[int, str], header_lookup: dict[str, str]) -> bool:
    """The header again under the data (two exports pasted one under the other, a printed
    sheet's header repeated on each page): each recognised column heads it the same way."""
    return bool(mapping) and all(
        i < len(row) and look_up(header_lookup, row[i]) == name for i, name in mapping.items()
    )


def _is_summary(row: list[str]) -> bool:
    """A « Total » row someone added under the data (its first filled cell says so), or a label
    with numbers only, or a note alone, wherever it stands (« Effectif : 6 », « Nombre de
    personnes accompagnées ; 6 », « Export complémentaire du 20/01/2026 » between two pasted
    exports): a pathway or a staff member has dates and codes beside its identifier."""
    first, *others = [cell.strip() for cell in row if cell.strip()]
    label = simplify(first)
    if any(label == word or label.startswith(f"{word}_") for word in _SUMMARY_LABELS):
        return True
    labelled = ":" in first or len(_WORD.findall(first)) >= 2
    return labelled and all(_SUM.fullmatch("".join(c.split())) for c in others)


# A word of three letters or more (« Nombre », « accompagnées »; not the « AB » of « AB 123 »).
_WORD = re.compile(r"[^\W\d_]{3,}")


def _find_header(grid: _Grid, header_lookup: dict[str, str], required: list[str]) -> int:
    """The row that reads best as the header: two recognised headings anywhere in the first
    rows, or one on the first filled row (« Nom;Prénom;Date d'écrou » is a header whose
    identifier column is missing, not a file without header)."""
    rows = grid.rows
    scores = [_row_score(row, header_lookup) for row in rows[:_HEADER_SEARCH_ROWS]]
    best = scores.index(max(scores)) if scores else 0
    first_filled = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    needed = 1 if best == first_filled else min(2, len(required))
    if not scores or max(scores) < needed:
        raise reject("entete_non_reconnu", detail=", ".join(required))
    found = {look_up(header_lookup, cell) for cell in rows[best]}
    absent = [name for name in required if name not in found]
    if absent:
        unknown = [
            told_heading(c, i)
            for i, c in enumerate(rows[best])
            if c.strip() and look_up(header_lookup, c) is None
        ]
        raise reject(
            "colonne_obligatoire_absente",
            detail=", ".join(absent),
            line=grid.lines[best],
            lus=", ".join(unknown) or "aucun",
            noms=" ; ".join(_spellings_of(name, header_lookup) for name in absent),
        )
    return best


_COURTESY_TITLES = {"m", "mme", "mlle", "mr", "monsieur", "madame", "mademoiselle"}
_WORD = re.compile(r"[^\W\d_]+")


def told_heading(heading: str, position: int) -> str:
    """A heading the contract does not know, as the register and the messages keep it: « as
    written » when it reads as a column's name (no digit, at most 30 characters, no courtesy
    title; in capitals throughout, or with capitals only as initials and in acronyms of up to 5
    letters); otherwise by its spreadsheet column and length, for a heading can hold a name or a
    phone number (« Remarques de Mme X », « Suivi par DUPONT », « Tél. 06… »)."""
    text = heading.strip()
    words = _WORD.findall(text)
    cased = text.isupper() or all(
        w[1:].islower() or not w[1:] or (w.isupper() and len(w) <= 5) for w in words
    )
    named = (
        len(text) <= 30
        and not any(ch.isdigit() for ch in text)
        and not any(w.lower() in _COURTESY_TITLES for w in words)
        and cased
    )
    if named:
        return f"« {text} »"
    return f"colonne {_column_letter(position)} (intitulé de {len(text)} caractères, non reproduit)"


def _column_letter(position: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as a spreadsheet names it."""
    letters, number = "", position + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _spellings_of(column: str, header_lookup: dict[str, str], shown: int = 4) -> str:
    """A few headings read as `column`, for a steward to rename theirs."""
    names = [key for key, name in header_lookup.items() if name == column][:shown]
    return f"{column} : {', '.join(n.replace('_', ' ') for n in names)}"


def _map_header(header: list[str], header_lookup: dict[str, str], line: int) -> dict[int, str]:
    """Header cell position → contract column; two cells meaning the same column is refused."""
    mapping: dict[int, str] = {}
    for position, cell in enumerate(header):
        name = look_up(header_lookup, cell)
        if name is None:
            continue
        if name in mapping.values():
            first = next(i for i, n in mapping.items() if n == name)
            detail = f"{told_heading(header[first], first)} et {told_heading(cell, position)}"
            raise reject("entete_duplique", column=name, detail=detail, line=line)
        mapping[position] = name
    return mapping
