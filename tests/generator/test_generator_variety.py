"""The inbox looks like what real office software sends: encodings, delimiters, workbooks, headers…"""

from __future__ import annotations

import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import fastexcel
import pytest
from gen_reader import (
    BOM,
    EXTRAS,
    Generated,
    Sheet,
    detect_encoding,
    normalise_id,
    parse_name,
    read_sheet,
)

from generator.referential import load_sites
from pipelines.codes import simplify
from pipelines.contracts import load_contract
from pipelines.periods import Semester, semesters_between

pytestmark = pytest.mark.lent


@pytest.fixture(scope="module")
def site_files(generated: Generated) -> list[Path]:
    return sorted(
        p for p in generated.inbox.iterdir() if (n := parse_name(p.name)) and n.site != "national"
    )


@pytest.fixture(scope="module")
def site_sheets(sheets: dict[str, Sheet]) -> dict[str, Sheet]:
    return {n: s for n, s in sheets.items() if parse_name(n).site != "national"}


def test_windows_1252_files_with_real_accents(site_files: list[Path]) -> None:
    cp1252 = [
        p.read_bytes()
        for p in site_files
        if p.suffix == ".csv" and detect_encoding(p.read_bytes()) == "cp1252"
    ]
    assert len(cp1252) > 50
    for char in "é’œ":
        assert any(char.encode("cp1252") in data for data in cp1252), char
    with pytest.raises(UnicodeDecodeError):
        next(d for d in cp1252 if "’".encode("cp1252") in d).decode("utf-8")


def test_encodings_delimiters_and_line_endings_vary(
    site_files: list[Path], site_sheets: dict[str, Sheet]
) -> None:
    data = [p.read_bytes() for p in site_files if p.suffix == ".csv"]
    assert any(d.startswith(BOM) for d in data)
    assert any(not d.startswith(BOM) and detect_encoding(d) == "utf-8" for d in data)
    delimiters = Counter(s.delimiter for s in site_sheets.values() if s.delimiter)
    assert delimiters[";"] > delimiters[","] > 0
    assert any(b"\r\n" in d for d in data) and any(b"\n" in d and b"\r\n" not in d for d in data)


def test_some_sites_send_workbooks_with_a_title_row_and_real_dates(
    site_files: list[Path], site_sheets: dict[str, Sheet]
) -> None:
    workbooks = [p for p in site_files if p.suffix == ".xlsx"]
    share = len({parse_name(p.name).site for p in workbooks}) / len(
        {parse_name(p.name).site for p in site_files}
    )
    assert 0.1 < share < 0.45
    titled = [p for p in workbooks if site_sheets[p.name].header_line == 2]
    assert titled and len(titled) < len(workbooks)
    assert site_sheets[titled[0].name].rows[0][0] == 3  # first data row under title and header
    real_dates = [p for p in workbooks if _has_date_cells(p)]
    assert real_dates and len(real_dates) < len(workbooks)


def _has_date_cells(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        return (
            "dd/mm/yyyy" in archive.read("xl/styles.xml").decode()
            or "yyyy-mm-dd" in archive.read("xl/styles.xml").decode()
        )


def test_workbook_dates_read_as_dates(site_files: list[Path]) -> None:
    path = next(
        p for p in site_files if p.suffix == ".xlsx" and _has_date_cells(p) and "parcours" in p.name
    )
    sheet = fastexcel.read_excel(str(path)).load_sheet(
        0, header_row=read_sheet(path).header_line - 1
    )
    assert any("date" in str(dtype).lower() for dtype in sheet.to_polars().schema.values())


def test_every_header_maps_to_the_contract(site_sheets: dict[str, Sheet]) -> None:
    for name, sheet in site_sheets.items():
        contract = load_contract(parse_name(name).export)
        mapped = sheet.columns(contract)
        unknown = [
            h
            for h, m in zip(sheet.header, mapped, strict=True)
            if m is None and simplify(h) not in EXTRAS
        ]
        assert not unknown, (name, unknown)
        found = [m for m in mapped if m]
        assert sorted(found) == sorted(contract.column_names), name


def test_header_spellings_vary(site_sheets: dict[str, Sheet]) -> None:
    spellings = {
        h
        for name, s in site_sheets.items()
        if parse_name(name).export == "parcours"
        for h, m in zip(s.header, s.columns(load_contract("parcours")), strict=True)
        if m == "date_entree"
    }
    assert {"date_entree", "DATE_ENTREE", "date entree"} <= spellings
    assert {"Date d'entrée", "Date d’entrée"} & spellings
    assert len(spellings) >= 5


def test_column_order_is_shuffled_at_some_sites(site_sheets: dict[str, Sheet]) -> None:
    contract = load_contract("parcours")
    orders = {
        tuple(m for m in s.columns(contract) if m)
        for n, s in site_sheets.items()
        if parse_name(n).export == "parcours"
    }
    assert tuple(contract.column_names) in orders and len(orders) > 3


def test_names_and_free_text_columns(site_sheets: dict[str, Sheet]) -> None:
    with_names = [
        s for s in site_sheets.values() if {"nom", "prenom"} <= {simplify(h) for h in s.header}
    ]
    assert with_names
    first = with_names[0]
    position = [simplify(h) for h in first.header].index("prenom")
    assert all(cells[position] for _, cells in first.rows)
    notes = [s for s in site_sheets.values() if "observations" in {simplify(h) for h in s.header}]
    assert any("œ" in cells[-1] or "’" in cells[-1] for s in notes for _, cells in s.rows)


def test_code_boolean_and_identifier_spellings_vary(site_sheets: dict[str, Sheet]) -> None:
    contract = load_contract("parcours")
    motifs, booleans, ids = set(), set(), set()
    for name, sheet in site_sheets.items():
        if parse_name(name).export != "parcours":
            continue
        position = sheet.columns(contract).index("identifiant")
        ids.update(cells[position] for _, cells in sheet.rows if len(cells) > position)
        for record in sheet.records(contract).values():
            motifs.add(record["motif_sortie"])
            booleans.add(record["mesure_suivi"])
    assert "liberation_fin_de_peine" in motifs and "Liberation fin de peine" in motifs
    assert {"oui", "Oui", "O", "1"} <= booleans
    assert any(i != i.upper() for i in ids)  # lower case
    assert any(i.startswith(" ") and i.endswith(" ") for i in ids)  # padded
    assert any(" " in i.strip() for i in ids)  # grouped digits
    assert all(normalise_id(i).isalnum() and len(normalise_id(i)) == 10 for i in ids if i.strip())


def test_blank_trailing_rows(site_files: list[Path]) -> None:
    assert any(
        p.read_bytes().rstrip(b"\r\n").endswith(b";;;;") for p in site_files if p.suffix == ".csv"
    )


def test_every_owed_delivery_is_there_or_declared_missing(generated: Generated) -> None:
    names = {p.name.rsplit(".", 1)[0] for p in generated.inbox.iterdir()}
    missing = {(m["site"], m["type"], m["period"]) for m in generated.manifest["missing"]}
    last = Semester.parse("2026-S1")
    for site in load_sites():
        first = max(Semester.containing(site.opening), Semester(2016, 1))
        end = min(last, Semester.containing(site.closing)) if site.closing else last
        for period in semesters_between(first, end):
            for export in ("parcours", "personnel", "suivi"):
                present = f"{site.code}_{export}_{period.code}" in names
                assert present != ((site.code, export, period.code) in missing), (
                    site.code,
                    export,
                    period,
                )
    assert not any(
        n.startswith("03-moulins_") and n.endswith(("2019-S1", "2019-S2")) for n in names
    )
    assert not any(n.startswith("77-meaux_") and n.endswith("2017-S1") for n in names)
    assert "77-meaux_parcours_2017-S2" in names
    assert 0 < len(missing) < 0.06 * len(names)


def test_arrival_times_late_files_and_on_time_majority(
    generated: Generated, site_files: list[Path]
) -> None:
    late = generated.manifest["late"]
    assert late and len(late) < 0.3 * len(site_files)
    for entry in late:
        arrived = datetime.fromtimestamp(
            (generated.inbox / entry["file"]).stat().st_mtime, tz=UTC
        ).date()
        assert arrived.isoformat() > entry["due"]
    late_files = {e["file"] for e in late}
    for path in site_files:
        name = parse_name(path.name)
        period = Semester.parse(name.period)
        arrived = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date()
        assert arrived > period.end
        if not name.suffix:
            assert (arrived > period.due_date()) == (path.name in late_files), path.name
