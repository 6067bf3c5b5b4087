"""A small, independent reader of generated inbox files, for the generator's tests.

Deliberately written apart from the pipeline's own readers: the tests check the generated files
as a steward's spreadsheet would show them (line numbers, cells), not through the code under test.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import fastexcel

from generator import GenerationSummary
from pipelines.codes import load_codes, simplify
from pipelines.contracts import Contract, load_contract

EXTRAS = {
    "nom",
    "prenom",
    "observations",
    "commentaire",
    "nom_famille",
    "remarques",
    "commentaires",
}
BOM = b"\xef\xbb\xbf"
_NAME = re.compile(
    r"^(?P<site>.+)_(?P<type>parcours|personnel|suivi|reincarcerations)_(?P<period>\d{4}-S[12])"
    r"(?P<suffix>.*)\.(?P<ext>csv|xlsx)$"
)


@dataclass(frozen=True)
class Generated:
    """A generation's summary and its manifest (the shared test fixture)."""

    summary: GenerationSummary
    manifest: dict

    @property
    def inbox(self) -> Path:
        return self.summary.inbox


@dataclass(frozen=True)
class FileName:
    site: str
    export: str
    period: str
    suffix: str


def parse_name(name: str) -> FileName | None:
    match = _NAME.match(name)
    if not match:
        return None
    return FileName(match["site"], match["type"], match["period"], match["suffix"])


@dataclass
class Sheet:
    path: Path
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]  # (steward's line number, cells), blank rows left out
    encoding: str | None = None
    delimiter: str | None = None
    _typed: dict[str, dict] = field(default_factory=dict, repr=False)

    def columns(self, contract: Contract) -> list[str | None]:
        """Contract column (or None for an extra column) of each header cell."""
        lookup = contract.header_lookup()
        return [lookup.get(simplify(cell)) for cell in self.header]

    def records(self, contract: Contract) -> dict[int, dict[str, str]]:
        """line → {contract column: raw cell text}, missing trailing cells as ''."""
        names = self.columns(contract)
        out = {}
        for line, cells in self.rows:
            padded = cells + [""] * (len(names) - len(cells))
            out[line] = {n: padded[i].strip() for i, n in enumerate(names) if n is not None}
        return out


def read_sheet(path: Path) -> Sheet:
    if path.suffix == ".xlsx":
        return _read_xlsx(path)
    return _read_csv(path)


def detect_encoding(data: bytes) -> str:
    if data.startswith(BOM):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _read_csv(path: Path) -> Sheet:
    data = path.read_bytes()
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, start = [], 1
    for record in reader:
        records.append((start, record))
        start = reader.line_num + 1
    (header_line, header), body = records[0], records[1:]
    rows = [(line, cells) for line, cells in body if any(c.strip() for c in cells)]
    return Sheet(path, header, header_line, rows, encoding, delimiter)


def _read_xlsx(path: Path) -> Sheet:
    frame = (
        fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string").to_polars()
    )
    grid = [["" if c is None else str(c) for c in row] for row in frame.iter_rows()]
    title = sum(1 for c in grid[0] if c) == 1 and len(grid[0]) > 1
    start = 1 if title else 0
    rows = [
        (i + 1, cells)
        for i, cells in enumerate(grid)
        if i > start and any(c.strip() for c in cells)
    ]
    return Sheet(path, grid[start], start + 1, rows)


# --- typed values ------------------------------------------------------------------------------


def parse_date(text: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def parse_number(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def parse_bool(text: str) -> bool | None:
    codes, word = load_codes(), simplify(text)
    if word in codes.true_words:
        return True
    if word in codes.false_words:
        return False
    return None


def normalise_id(text: str) -> str:
    return re.sub(r"\s", "", text).upper()


def typed_records(sheet: Sheet, export: str) -> dict[int, dict[str, object]]:
    """line → typed values (None when empty or unreadable), as the contract describes them."""
    if export not in sheet._typed:
        sheet._typed[export] = _typed_records(sheet, export)
    return sheet._typed[export]


def _typed_records(sheet: Sheet, export: str) -> dict[int, dict[str, object]]:
    contract, codes = load_contract(export), load_codes()
    out = {}
    for line, record in sheet.records(contract).items():
        typed: dict[str, object] = {}
        for column in contract.columns:
            text = record.get(column.name, "")
            if not text:
                typed[column.name] = None
            elif column.pseudonymised:
                typed[column.name] = normalise_id(text)
            elif column.nomenclature:
                typed[column.name] = codes[column.nomenclature].canonical(text)
            elif column.logical_type == "date":
                typed[column.name] = parse_date(text)
            elif column.logical_type in ("integer", "number"):
                typed[column.name] = parse_number(text)
            elif column.logical_type == "boolean":
                typed[column.name] = parse_bool(text)
            else:
                typed[column.name] = text
        out[line] = typed
    return out
