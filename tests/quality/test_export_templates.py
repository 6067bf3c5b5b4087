"""Blank export templates: the contract's header, and in the XLSX drop-down lists of the codes."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from pipelines.codes import load_codes
from pipelines.contracts import load_contract
from pipelines.export_templates import TEMPLATE_EXPORTS, template_files, write_templates
from pipelines.ingest.readers import read_table


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("modeles")
    write_templates(target)
    return target


def _sheet_xml(path: Path, number: int) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"xl/worksheets/sheet{number}.xml").decode("utf-8")


def _shared_strings(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/sharedStrings.xml").decode("utf-8")
    return re.findall(r"<t[^>]*>([^<]*)</t>", xml)


@pytest.mark.parametrize("export", TEMPLATE_EXPORTS)
def test_templates_hold_the_contract_header_and_are_read_as_exports(
    folder: Path, export: str
) -> None:
    contract, files = load_contract(export), template_files(export)
    first_line = (folder / files.csv).read_bytes().decode("utf-8-sig").splitlines()[0]
    assert first_line.split(";") == contract.column_names
    for name in (files.csv, files.xlsx):
        table = read_table(folder / name, contract.header_lookup(), contract.required_columns)
        assert table.frame.height == 0
        assert set(contract.column_names) <= set(table.frame.columns)


def test_xlsx_template_offers_each_code_list_as_a_drop_down(folder: Path) -> None:
    contract = load_contract("parcours")
    path = folder / template_files("parcours").xlsx
    sheet = _sheet_xml(path, 1)
    validations = dict(
        re.findall(r'sqref="([A-Z]+)2:[A-Z]+\d+">\s*<formula1>([^<]*)</formula1>', sheet)
    )
    strings = _shared_strings(path)
    coded = [c for c in contract.columns if c.nomenclature]
    assert len(coded) >= 6
    for number, column in enumerate(contract.columns):
        letter = chr(ord("A") + number)
        if column.nomenclature:
            formula = validations[letter]
            assert formula.startswith("'Codes'!$")
            codes = load_codes()[column.nomenclature].values
            assert all(code in strings for code in codes)
            first, last = re.findall(r"\$(\d+)", formula)
            assert int(last) - int(first) + 1 == len(codes)
        elif column.logical_type == "boolean":
            assert validations[letter] == '"oui,non"'
    assert 'type="date"' in sheet and 'type="whole"' in sheet
