"""Write a styled table as the bytes a site's software would produce (CSV) or a workbook (XLSX)."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from generator.formats import FileStyle, Raw, layout, text_formatter
from generator.names import REMARKS, first_name, surname
from generator.tables import Row
from pipelines.contracts import Contract


def extra_value(row: Row, extra: str, rng: random.Random) -> str:
    """Names (fake, tied to the identifier) or an occasional free-text remark."""
    if extra == "nom":
        return surname(row["_key"]) if row.get("_key") else ""
    if extra == "prenom":
        return first_name(row["_key"], row.get("_sexe", "H")) if row.get("_key") else ""
    return rng.choice(REMARKS) if rng.random() < 0.2 else ""


def header_and_keys(contract: Contract, style: FileStyle) -> tuple[list[str], list[str]]:
    columns = layout(contract, style)
    return [h for h, _ in columns], [k for _, k in columns]


def text_cells(
    rows: Sequence[Row], contract: Contract, style: FileStyle, rng: random.Random
) -> list[list[str]]:
    """Every data row as the strings the file will hold, in the file's column order."""
    _, keys = header_and_keys(contract, style)
    names = set(contract.column_names)
    formatters = [text_formatter(contract.column(k), style) if k in names else None for k in keys]
    out = []
    for row in rows:
        out.append(
            [
                fmt(row.get(key)) if fmt else extra_value(row, key, rng)
                for key, fmt in zip(keys, formatters, strict=True)
            ]
        )
    return out


def csv_bytes(
    header: list[str], cells: list[list[str]], style: FileStyle, cut_last_at: int | None = None
) -> bytes:
    """The file's bytes; `cut_last_at` truncates the last row just before that column's value."""
    buffer = io.StringIO()
    quoting = csv.QUOTE_ALL if style.quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(
        buffer, delimiter=style.delimiter, quoting=quoting, lineterminator=style.newline
    )
    writer.writerow(header)
    body = cells if cut_last_at is None else cells[:-1]
    writer.writerows(body)
    if cut_last_at is not None:
        prefix = io.StringIO()
        csv.writer(prefix, delimiter=style.delimiter, quoting=quoting, lineterminator="").writerow(
            cells[-1][:cut_last_at]
        )
        buffer.write(prefix.getvalue() + style.delimiter)
    else:
        blank = style.delimiter * (len(header) - 1) + style.newline
        buffer.write(blank * style.trailing_blank_rows)
    return buffer.getvalue().encode(style.encoding)


# --- workbooks ---------------------------------------------------------------------------------

CellWriter = Callable[[Any, int, int, Any], None]
LARGE_SHEET = 5000  # rows


def write_xlsx(
    path: Path,
    rows: Sequence[Row],
    contract: Contract,
    style: FileStyle,
    *,
    title: str,
    created: datetime,
    rng: random.Random,
) -> None:
    """A workbook as an office user saves it: numbers as numbers, dates as dates or as text."""
    header, keys = header_and_keys(contract, style)
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            # Streaming rows to disk pays off only for big sheets; small ones are faster in memory.
            "constant_memory": len(rows) > LARGE_SHEET,
            "in_memory": len(rows) <= LARGE_SHEET,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    workbook.set_properties({"created": created, "author": "Export IAE", "title": title})
    sheet = workbook.add_worksheet(style.sheet_name)
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format(
        {"num_format": "yyyy-mm-dd" if style.date_style == "iso" else "dd/mm/yyyy"}
    )
    line = 0
    if style.title_row:
        sheet.write_string(0, 0, title, bold)
        line = 1
    for col, text in enumerate(header):
        sheet.write_string(line, col, text, bold)
    names = set(contract.column_names)
    plans = [
        _cell_plan(contract, key, style, date_format) if key in names else None for key in keys
    ]
    for row in rows:
        line += 1
        for col, (key, plan) in enumerate(zip(keys, plans, strict=True)):
            if plan is None:
                text = extra_value(row, key, rng)
                if text:
                    sheet.write_string(line, col, text)
            else:
                plan(sheet, line, col, row.get(key))
    workbook.close()


def _cell_plan(contract: Contract, key: str, style: FileStyle, date_format: Any) -> CellWriter:
    column = contract.column(key)
    as_text = text_formatter(column, style)

    def write(sheet: Any, line: int, col: int, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, Raw):
            sheet.write_string(line, col, value.text)
        elif column.logical_type == "date" and isinstance(value, date) and style.excel_dates:
            sheet.write_datetime(line, col, value, date_format)
        elif column.logical_type in ("integer", "number") and isinstance(value, int | float):
            sheet.write_number(line, col, value)
        elif column.logical_type == "boolean" and style.bool_words[0] == "1":
            sheet.write_number(line, col, 1 if value else 0)
        else:
            sheet.write_string(line, col, as_text(value))

    return write
