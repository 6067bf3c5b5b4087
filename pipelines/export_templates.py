"""Blank export templates for the data stewards, generated from the contracts.

For each export a CSV holding only the header a file must have, and an XLSX with the same header
(each column's description as a cell note), a drop-down list of the codes on every coded column,
checks on dates, numbers and yes/no columns, a sheet of the codes with their French labels and a
notice of the columns. A steward who starts an export from one of them cannot misname a column
or mistype a code; they are rebuilt from the contracts on every run, so they follow them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from pipelines.codes import Nomenclature, load_codes
from pipelines.contracts import EXPORT_TYPES, Column, Contract, load_contract

TEMPLATE_EXPORTS = (*EXPORT_TYPES, "sites")
CHECKED_ROWS = 5000  # rows below the header that get the drop-down lists and checks
CODES_SHEET = "Codes"
NOTICE_SHEET = "Notice"
TYPE_LABELS = {
    "string": "texte",
    "integer": "nombre entier",
    "number": "nombre",
    "date": "date (JJ/MM/AAAA)",
    "boolean": "oui ou non",
}
_YES_NO = ["oui", "non"]


@dataclass(frozen=True)
class Template:
    """One export's pair of templates, as file names in the templates folder."""

    export: str
    csv: str
    xlsx: str


def template_files(export: str) -> Template:
    return Template(export, f"modele_{export}.csv", f"modele_{export}.xlsx")


def write_templates(folder: Path) -> list[Template]:
    """Both templates of every export (and of the sites referential) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for export in TEMPLATE_EXPORTS:
        contract, files = load_contract(export), template_files(export)
        write_csv_template(contract, folder / files.csv)
        write_xlsx_template(contract, folder / files.xlsx)
        out.append(files)
    return out


def write_csv_template(contract: Contract, path: Path) -> None:
    """The header alone, `;`-separated, UTF-8 with BOM: what a French spreadsheet opens cleanly."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(contract.column_names)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def write_xlsx_template(contract: Contract, path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    workbook.set_properties({"title": f"Modèle de l'export {contract.name}", "author": "IAE"})
    sheet = workbook.add_worksheet(contract.name)
    codes = _codes_sheet(workbook, contract)
    header = workbook.add_format({"bold": True, "bg_color": "#E3E3FD", "border": 1})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for col, column in enumerate(contract.columns):
        sheet.write_string(0, col, column.name, header)
        sheet.write_comment(0, col, _note(column), {"x_scale": 2.5, "y_scale": 1.5})
        sheet.set_column(col, col, max(14, len(column.name) + 2), day if _is_date(column) else None)
        validation = _validation(column, codes)
        if validation:
            sheet.data_validation(1, col, CHECKED_ROWS, col, validation)
    sheet.freeze_panes(1, 0)
    _notice_sheet(workbook, contract)
    workbook.close()


def _is_date(column: Column) -> bool:
    return column.logical_type == "date"


def _note(column: Column) -> str:
    required = "obligatoire" if column.required else "facultative"
    return f"{column.description} ({TYPE_LABELS[column.logical_type]}, {required})"


def _codes_sheet(workbook: Any, contract: Contract) -> dict[str, str]:
    """A sheet listing each code list the contract uses (code, then label); the range of each
    list's codes, for the drop-down lists."""
    lists = _nomenclatures(contract)
    if not lists:
        return {}
    sheet = workbook.add_worksheet(CODES_SHEET)
    bold = workbook.add_format({"bold": True})
    ranges = {}
    for index, nomenclature in enumerate(lists):
        col = 2 * index
        sheet.write_string(0, col, nomenclature.libelle, bold)
        sheet.write_string(0, col + 1, "Libellé", bold)
        for row, code in enumerate(nomenclature.codes, start=1):
            sheet.write_string(row, col, code.code)
            sheet.write_string(row, col + 1, code.libelle)
        sheet.set_column(col, col, 24)
        sheet.set_column(col + 1, col + 1, 42)
        letter = xl_col_to_name(col)
        ranges[nomenclature.name] = (
            f"='{CODES_SHEET}'!${letter}$2:${letter}${len(nomenclature.codes) + 1}"
        )
    return ranges


def _nomenclatures(contract: Contract) -> list[Nomenclature]:
    names = dict.fromkeys(c.nomenclature for c in contract.columns if c.nomenclature)
    return [load_codes()[name] for name in names]


def _validation(column: Column, codes: dict[str, str]) -> dict[str, Any] | None:
    """The Excel data validation of a column: a list of codes, yes/no, a date or a number."""
    if column.nomenclature:
        rule: dict[str, Any] = {"validate": "list", "source": codes[column.nomenclature]}
        message = "Choisissez un code de la liste (feuille Codes)."
    elif column.logical_type == "boolean":
        rule, message = {"validate": "list", "source": _YES_NO}, "Répondez oui ou non."
    elif _is_date(column):
        rule = {
            "validate": "date",
            "criteria": "between",
            "minimum": date(1940, 1, 1),
            "maximum": date(2100, 12, 31),
        }
        message = "Saisissez une date au format JJ/MM/AAAA."
    elif column.logical_type in ("integer", "number"):
        rule, message = _number_rule(column)
    else:
        return None
    return {
        **rule,
        "error_title": "Valeur refusée",
        "error_message": message,
        "input_title": column.name,
        "input_message": message,
    }


def _number_rule(column: Column) -> tuple[dict[str, Any], str]:
    integer = column.logical_type == "integer"
    exclusive = column.exclusive_minimum is not None
    low = column.exclusive_minimum if exclusive else column.minimum
    limits = []
    if low is not None:
        limits.append(f"{'supérieur à' if exclusive else 'supérieur ou égal à'} {low:g}")
    if column.maximum is not None:
        limits.append(f"inférieur ou égal à {column.maximum:g}")
    if column.maximum is not None or low is None:
        rule: dict[str, Any] = {
            "criteria": "between",
            "minimum": -1e12 if low is None else low,
            "maximum": 1e12 if column.maximum is None else column.maximum,
        }
    else:
        rule = {"criteria": ">" if exclusive else ">=", "value": low}
    noun = "un nombre entier" if integer else "un nombre"
    message = " ".join([f"Saisissez {noun}", " et ".join(limits)]).strip() + "."
    return {"validate": "integer" if integer else "decimal", **rule}, message


def _notice_sheet(workbook: Any, contract: Contract) -> None:
    sheet = workbook.add_worksheet(NOTICE_SHEET)
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    headings = ["Colonne", "Obligatoire", "Type", "Description", "Valeurs permises"]
    for col, text in enumerate(headings):
        sheet.write_string(0, col, text, bold)
    for row, column in enumerate(contract.columns, start=1):
        allowed = ""
        if column.nomenclature:
            allowed = ", ".join(c.code for c in load_codes()[column.nomenclature].codes)
        elif column.logical_type == "boolean":
            allowed = "oui, non"
        values = [
            column.name,
            "oui" if column.required else "non",
            TYPE_LABELS[column.logical_type],
            column.description,
            allowed,
        ]
        for col, text in enumerate(values):
            sheet.write_string(row, col, text, wrap)
    for col, width in enumerate([26, 12, 18, 70, 50]):
        sheet.set_column(col, col, width)
