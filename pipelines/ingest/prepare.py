"""Delivery files, from bytes to typed, pseudonymised rows with their lineage.

Each file is read on its own (its encoding, delimiter and header are its own); typing and hashing
then run once over all files of an export type, so their cost grows with rows, not with files.
Only the columns the contract names survive reading; the others (names, comments…) are named in
the delivery register, and their values are dropped here, before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from pipelines.codes import Codes
from pipelines.contracts import Contract
from pipelines.ingest.coercion import (
    EITHER_WAY,
    MONTH_FIRST,
    SPREADSHEET_ERROR,
    blank_placeholders,
    coerce,
)
from pipelines.ingest.inbox import InboxFile
from pipelines.ingest.pseudonymise import pseudonymise
from pipelines.ingest.readers import LINE_COLUMN, TextTable, read_table
from pipelines.messages import reject
from pipelines.periods import Semester
from pipelines.settings import Safeguards

FILE_COLUMN = "fichier_source"


@dataclass(frozen=True)
class Delivery:
    """A file to process, with what its name says it delivers."""

    file: InboxFile
    sha256: str
    site: str | None
    export_type: str | None
    period: str | None


@dataclass(frozen=True)
class SiteWindow:
    """When a site's workshop was open: deliveries outside it are refused."""

    opened: date
    closed: date | None

    def told(self) -> str:
        """« ouvert du 01/03/2010 au 31/12/2018 », « ouvert depuis le 01/03/2016 »."""
        opened = self.opened.strftime("%d/%m/%Y")
        if self.closed is None:
            return f"ouvert depuis le {opened}"
        return f"ouvert du {opened} au {self.closed.strftime('%d/%m/%Y')}"


@dataclass(frozen=True)
class ReadFile:
    """A readable delivery file and its cells as text."""

    delivery: Delivery
    table: TextTable
    window: SiteWindow | None

    @property
    def rows_received(self) -> int:
        return self.table.frame.height


@dataclass(frozen=True)
class PreparedBatch:
    """All files of one export type: typed rows with lineage, and the values that could not be typed."""

    files: list[ReadFile]
    frame: pl.DataFrame
    type_failures: pl.DataFrame


def check_period(delivery: Delivery, window: SiteWindow | None, today: date) -> Semester:
    """The delivered semester, if it is over and the site was open during it."""
    semester = Semester.parse(delivery.period or "")
    if semester.end >= today:
        raise reject("periode_future", detail=semester.code)
    if window and (
        semester.end < window.opened or (window.closed and semester.start > window.closed)
    ):
        raise reject("site_ferme", detail=f"{semester.code} ({window.told()})")
    return semester


def check_size(delivery: Delivery, safeguards: Safeguards) -> None:
    """Refuse a file too heavy to be one site's semester before reading a byte of it."""
    megabytes = delivery.file.path.stat().st_size / 1e6
    if megabytes > safeguards.max_file_megabytes:
        detail = f"{megabytes:.1f} Mo (limite : {safeguards.max_file_megabytes:g} Mo)"
        raise reject("fichier_trop_volumineux", detail=detail.replace(".", ","))


def read_delivery(
    delivery: Delivery,
    contract: Contract,
    window: SiteWindow | None,
    today: date,
    safeguards: Safeguards,
) -> ReadFile:
    """Read one file, or raise `FileRejected` with the reason the steward will read."""
    check_period(delivery, window, today)
    check_size(delivery, safeguards)
    table = read_table(
        delivery.file.path,
        contract.header_lookup(),
        contract.required_columns,
        max_rows=safeguards.max_file_rows,
    )
    if table.frame.height < contract.min_rows:
        raise reject("aucune_ligne")
    return ReadFile(delivery, table, window)


def _lineage(files: list[ReadFile]) -> pl.DataFrame:
    """One row per file: what its rows inherit (site, period and its bounds, file, opening date)."""
    semesters = [Semester.parse(f.delivery.period or "") for f in files]
    return pl.DataFrame(
        {
            FILE_COLUMN: [f.delivery.file.name for f in files],
            "code_site": [f.delivery.site for f in files],
            "periode": [f.delivery.period for f in files],
            "sha256_fichier": [f.delivery.sha256 for f in files],
            "debut_periode": [s.start for s in semesters],
            "fin_periode": [s.end for s in semesters],
            "date_ouverture_site": [f.window.opened if f.window else None for f in files],
        },
        schema_overrides={"date_ouverture_site": pl.Date},
    )


def prepare_batch(
    files: list[ReadFile], contract: Contract, codes: Codes, key: bytes
) -> PreparedBatch:
    text = pl.concat(
        [
            f.table.frame.with_columns(pl.lit(f.delivery.file.name).alias(FILE_COLUMN))
            for f in files
        ],
        how="diagonal_relaxed",
    ).join(_lineage(files), on=FILE_COLUMN, how="left", maintain_order="left")
    keys = [FILE_COLUMN, LINE_COLUMN]
    formula_errors = _spreadsheet_errors(text, contract, keys)
    text = blank_placeholders(text, contract, codes)
    pseudonymised = [c for c in contract.pseudonymised_columns if c in text.columns]
    hashed = text.with_columns(pseudonymise(text[c], key) for c in pseudonymised)
    typed, failures = coerce(hashed, contract, codes, keys=keys)
    return PreparedBatch(
        files,
        typed,
        pl.concat(
            [
                formula_errors,
                failures,
                _digits_lost(text, pseudonymised, keys),
                _read_either_way(text, contract, keys),
                _overflowing(files),
            ]
        ),
    )


def _overflowing(files: list[ReadFile]) -> pl.DataFrame:
    """Rows with values past the header's last column, as failures of no column, the count of
    values too many as their value."""
    rows = [
        (f.delivery.file.name, line, None, str(count))
        for f in files
        for line, count in f.table.overflowing.items()
    ]
    schema = {
        FILE_COLUMN: pl.String,
        LINE_COLUMN: pl.Int32,
        "colonne": pl.String,
        "valeur": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _cells_matching(
    text: pl.DataFrame, columns: list[str], keys: list[str], pattern: str
) -> pl.DataFrame:
    """The cells of `columns` whose text matches `pattern`, as failures of their column."""
    return (
        text.select(*keys, *columns)
        .unpivot(index=keys, on=columns, variable_name="colonne", value_name="valeur")
        .filter(pl.col("valeur").str.contains(pattern))
    )


def _spreadsheet_errors(text: pl.DataFrame, contract: Contract, keys: list[str]) -> pl.DataFrame:
    """Cells showing a failed formula (`#N/A`), as failures of their column: the value the
    formula should have given is missing, whatever the column's type."""
    columns = [c.name for c in contract.columns if c.name in text.columns]
    return _cells_matching(text, columns, keys, SPREADSHEET_ERROR)


# An identifier a spreadsheet turned into a number in scientific notation (`1,00035E+06`,
# `1E+06`): one digit, its decimals, `E+` and the exponent. `2019E0345` is an identifier.
SCIENTIFIC = r"^\d(?:[.,]\d+)?[eE]\+\d{2,}$"


def _digits_lost(text: pl.DataFrame, columns: list[str], keys: list[str]) -> pl.DataFrame:
    """Identifiers in scientific notation, as type failures (before hashing: the digits the
    spreadsheet dropped would make several people one)."""
    return _cells_matching(text, columns, keys, SCIENTIFIC)


def _read_either_way(text: pl.DataFrame, contract: Contract, keys: list[str]) -> pl.DataFrame:
    """Dates that read day/month as well as month/day (07/01/2025, not 05/05/2025), in the files
    that write the month first elsewhere (a day above 12 in second place), as type failures: in
    such a file 07/01/2025 is 1 July as likely as 7 January."""
    dates = [name for name in contract.date_columns if name in text.columns]
    cells = (
        text.select(*keys, *dates)
        .unpivot(index=keys, on=dates, variable_name="colonne", value_name="valeur")
        .drop_nulls("valeur")
    )
    month_first = cells.filter(pl.col("valeur").str.contains(MONTH_FIRST)).select(FILE_COLUMN)
    numbers = pl.col("valeur").str.extract_groups(EITHER_WAY)
    return (
        cells.join(month_first.unique(), on=FILE_COLUMN, how="semi")
        .filter(pl.col("valeur").str.contains(EITHER_WAY))
        .filter(numbers.struct[0].cast(pl.Int32) != numbers.struct[1].cast(pl.Int32))
    )
