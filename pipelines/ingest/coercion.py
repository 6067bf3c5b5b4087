"""From text cells to the contract's types, the French way (`05/07/2026`, `12,5`, `80 %`, `oui`).

A value that cannot be read as its column's type becomes null and is reported as a `type_<colonne>`
failure with the text the steward wrote; code values are matched to their canonical code
(`Liberation fin de peine` → `liberation_fin_de_peine`) and left as written when unknown, so that
the contract's code-list rule can name them.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from pipelines.codes import Codes, simplify, simplify_keeping_articles
from pipelines.contracts import Column, Contract

_DATE_FORMATS = (
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)
_EXCEL_EPOCH = date(1899, 12, 30)
# A date that is no day/month but reads as month/day: the month (≤ 12) first, the day (> 12) next.
MONTH_FIRST = r"^\s*(0?[1-9]|1[0-2])[/.-](1[3-9]|2\d|3[01])[/.-](\d{2}|\d{4})\s*$"
# A date that reads either way (both numbers 12 or less): doubtful in a file that writes the
# month first elsewhere (pipelines/ingest/prepare.py).
EITHER_WAY = r"^\s*(0?[1-9]|1[0-2])[/.-](0?[1-9]|1[0-2])[/.-](\d{2}|\d{4})\s*$"
# A spreadsheet's short date (`05/07/26`): read with two digits, not as the year 26.
_TWO_DIGIT_YEAR = r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})$"
# A long date as office software writes it in a CSV (`mardi 3 mars 2026`, `1er févr. 2026`), and
# the spreadsheet's « jj-mmm-aa » (`01-juil.-25`).
_LONG_DATE = r"^(?:[a-z]+\.?,?\s+)?(\d{1,2})(?:er)?[\s-]+([a-z]+)\.?[\s-]+(\d{4}|\d{2})$"
MONTHS = {
    **dict.fromkeys(("janvier", "janv"), "01"),
    **dict.fromkeys(("fevrier", "fevr", "fev"), "02"),
    "mars": "03",
    **dict.fromkeys(("avril", "avr"), "04"),
    "mai": "05",
    "juin": "06",
    **dict.fromkeys(("juillet", "juil"), "07"),
    "aout": "08",
    **dict.fromkeys(("septembre", "sept"), "09"),
    **dict.fromkeys(("octobre", "oct"), "10"),
    **dict.fromkeys(("novembre", "nov"), "11"),
    **dict.fromkeys(("decembre", "dec"), "12"),
}
# What a spreadsheet writes in a cell whose formula failed (« #N/A », « #REF! », « #VALEUR! »,
# « #DIV/0! », « #NOM? »): no value, and an error to fix, never a cell left blank on purpose.
SPREADSHEET_ERROR = r"^\s*#(?:N/[AD]|[A-ZÉÈ/0]+[!?])\s*$"
_SPACES = r"[\s\u00a0\u202f]"
_UNIT = r"(?i)(?:heures?|h|mois)$"
_POLARS_TYPES = {
    "string": pl.String,
    "integer": pl.Int64,
    "number": pl.Float64,
    "date": pl.Date,
    "boolean": pl.Boolean,
}


def blank_placeholders(frame: pl.DataFrame, contract: Contract, codes: Codes) -> pl.DataFrame:
    """The contract's cells that say nothing (`-`, `NC`, `néant`, `en cours`…) made empty, before
    anything reads them: an open pathway's exit date written « en cours » is no date to fix. A
    tick (`✓`) is a sign alone, yet a yes in a yes/no column: kept for `_boolean`. A failed
    formula (`#N/A`) is emptied too, once reported (pipelines/ingest/prepare.py)."""
    present = [c for c in contract.columns if c.name in frame.columns]
    return frame.with_columns(
        pl.col(column.name).replace(
            {
                v: None
                for v in frame[column.name].drop_nulls().unique()
                if (
                    simplify_keeping_articles(v) in codes.empty_words
                    and not (column.logical_type == "boolean" and v.strip() in codes.check_marks)
                )
                or re.match(SPREADSHEET_ERROR, v)
            }
        )
        for column in present
    )


def coerce(
    frame: pl.DataFrame, contract: Contract, codes: Codes, keys: list[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The frame with every contract column typed (absent ones null), other columns untouched, and
    the type failures found: `keys` columns locating the row, `colonne`, `valeur` as written."""
    present = [c for c in contract.columns if c.name in frame.columns]
    typed = frame.with_columns(
        *(_parse(column, frame[column.name], codes).alias(column.name) for column in present),
        *(
            pl.lit(None, _POLARS_TYPES[c.logical_type]).alias(c.name)
            for c in contract.columns
            if c not in present
        ),
    )
    checked = [c.name for c in present if c.logical_type != "string"]
    failures = (
        frame.select(*keys, *checked)
        .with_columns(
            pl.when(typed[name].is_null()).then(pl.col(name)).alias(name) for name in checked
        )
        .unpivot(index=keys, on=checked, variable_name="colonne", value_name="valeur")
        .drop_nulls("valeur")
    )
    return typed, failures


def _parse(column: Column, values: pl.Series, codes: Codes) -> pl.Expr:
    raw = pl.col(column.name)
    if column.logical_type == "string":
        if column.nomenclature:
            nomenclature = codes[column.nomenclature]
            return raw.replace(_lookup(values, nomenclature.canonical))
        return raw
    if column.logical_type == "boolean":
        return raw.replace_strict(
            _lookup(values, lambda v: _boolean(v, codes)), default=None, return_dtype=pl.Boolean
        )
    if column.logical_type == "date":
        return _date(raw)
    number = _number(raw)
    if may_count_thousands(column):
        number = pl.when(raw.str.contains(AMBIGUOUS_THOUSANDS)).then(None).otherwise(number)
    if column.logical_type == "integer":
        return pl.when(number == number.round(0)).then(number).cast(pl.Int64)
    return number


# A number whose one separator may group thousands or mark decimals (`1.200`, `1,200`: 1 200 or
# 1,2), in a column where a thousand is a value (hours, not a share of a post): not read.
AMBIGUOUS_THOUSANDS = r"^\s*[1-9]\d{0,2}[.,]\d{3}\s*$"


def may_count_thousands(column: Column) -> bool:
    return column.logical_type == "number" and (column.maximum is None or column.maximum >= 1000)


# An English-formatted number, commas grouping thousands before a decimal point (`1,234.5`).
_COMMA_THOUSANDS = r"^-?\d{1,3}(?:,\d{3})+\.\d+$"


def _number(raw: pl.Expr) -> pl.Expr:
    """`312,5`, `1 350`, `1.350,5` (dots group thousands when a comma is the decimal mark),
    `1,350.5` (the other way round, when the point comes last), `80 %` (= 0.8), and the unit of
    hours or months a cell may carry (`120 h`, `18 mois`)."""
    text = raw.str.replace_all(_SPACES, "").str.replace(_UNIT, "")
    percent = text.str.ends_with("%")
    digits = text.str.strip_suffix("%")
    digits = (
        pl.when(digits.str.contains(_COMMA_THOUSANDS))
        .then(digits.str.replace_all(",", "", literal=True))
        .when(digits.str.contains(",", literal=True))
        .then(digits.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .otherwise(digits)
    )
    number = digits.cast(pl.Float64, strict=False)
    return pl.when(percent).then(number / 100).otherwise(number)


def _lookup(values: pl.Series, read: object) -> dict[str, object]:
    """Raw spelling → read value, for each distinct spelling (few, however many rows). A spelling
    with a question mark (« CDI ? », « Oui ? ») says a doubt: it is not read, so that the code
    or yes/no rule names it, rather than taken for certain."""
    found = {
        raw: read(raw)  # type: ignore[operator]
        for raw in values.drop_nulls().unique().to_list()
        if "?" not in raw
    }
    return {raw: value for raw, value in found.items() if value is not None}


def _boolean(raw: str, codes: Codes) -> bool | None:
    if raw.strip() in codes.check_marks:
        return True
    word = simplify(raw)
    if word in codes.true_words:
        return True
    if word in codes.false_words:
        return False
    return None


def _day_month_year(day: pl.Expr, month: pl.Expr, year: pl.Expr, year_format: str) -> pl.Expr:
    return pl.concat_str(day, month, year, separator="/").str.strptime(
        pl.Date, f"%d/%m/{year_format}", strict=False, exact=True
    )


def _date(raw: pl.Expr) -> pl.Expr:
    text = raw.str.strip_chars()
    short = text.str.extract_groups(_TWO_DIGIT_YEAR)
    long = _plain_lower(text).str.extract_groups(_LONG_DATE)
    attempts = [text.str.strptime(pl.Date, fmt, strict=False, exact=True) for fmt in _DATE_FORMATS]
    serial = text.str.extract(r"^(\d{5})(?:\.0+)?$", 1).cast(pl.Int64, strict=False)
    excel = pl.lit(_EXCEL_EPOCH) + pl.duration(days=serial)
    day, month, year = (
        long.struct[0],
        long.struct[1].replace_strict(MONTHS, default=None),
        long.struct[2],
    )
    other = pl.coalesce(
        pl.when(year.str.len_chars() == 2)
        .then(_day_month_year(day, month, year, "%y"))
        .otherwise(_day_month_year(day, month, year, "%Y")),
        *attempts,
        excel.cast(pl.Date),
    )
    short_date = _day_month_year(short.struct[0], short.struct[1], short.struct[2], "%y")
    return pl.when(text.str.contains(_TWO_DIGIT_YEAR)).then(short_date).otherwise(other)


def _plain_lower(text: pl.Expr) -> pl.Expr:
    """Lower case without the accents of French month names (`févr.`, `août`, `déc.`)."""
    return text.str.to_lowercase().str.replace_many(["é", "è", "û", "ô"], ["e", "e", "u", "o"])
