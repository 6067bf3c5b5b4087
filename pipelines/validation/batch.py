"""Validate every prepared file of one export type at once, and say which rows go on.

The batch is the concatenation of the files; the contract's derived columns (period bounds, hour
ceilings, the follow-up measure of the person…) are computed in DuckDB, then Great Expectations runs
the contract's suite once. Each failing row becomes a finding worded for the steward; rows with an
error are kept out (the quarantine), rows with only warnings go on.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines.codes import Codes
from pipelines.contracts import Contract, Rule
from pipelines.ingest.coercion import (
    AMBIGUOUS_THOUSANDS,
    EITHER_WAY,
    MONTH_FIRST,
    SPREADSHEET_ERROR,
    may_count_thousands,
)
from pipelines.ingest.prepare import FILE_COLUMN, PreparedBatch
from pipelines.ingest.readers import LINE_COLUMN
from pipelines.messages import ERROR
from pipelines.validation.expectations import ROW, failing_rows
from pipelines.validation.rules import (
    OVERFLOW,
    SEVERITY_FR,
    all_rules,
    contract_rules,
    involved_columns,
)
from pipelines.validation.told import MASKED, in_message, known_words, told_values

EMPTY = "(vide)"


@dataclass(frozen=True)
class BatchResult:
    accepted: pl.DataFrame
    findings: pl.DataFrame


def validate_batch(
    con: duckdb.DuckDBPyConnection, contract: Contract, codes: Codes, prepared: PreparedBatch
) -> BatchResult:
    batch = prepared.frame.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64))
    hits = pl.concat(
        [
            _type_hits(batch, prepared.type_failures, contract),
            _expectation_hits(con, contract, codes, batch),
        ],
        how="vertical_relaxed",
    )
    rules = all_rules(contract, codes)
    hits = _drop_consequences(hits, contract, rules)
    findings = _word(
        hits, batch, contract, rules, known_words(contract, codes), _headings(prepared)
    )
    rejected = findings.filter(pl.col("gravite") == ERROR).select(ROW).unique()
    accepted = batch.join(rejected, on=ROW, how="anti").drop(ROW)
    return BatchResult(accepted=accepted, findings=findings.drop(ROW))


def _headings(prepared: PreparedBatch) -> pl.DataFrame:
    """Each file's heading of each contract column (`intitule`), for a finding to name the column
    as the steward's file does."""
    rows = [
        (f.delivery.file.name, column, heading)
        for f in prepared.files
        for column, heading in f.table.headings.items()
    ]
    return pl.DataFrame(
        rows, schema=dict.fromkeys(("fichier", "colonne", "intitule"), pl.String), orient="row"
    )


def _headed(text: str, finding: dict) -> str:
    """A message or fix naming the column as the file heads it (« Quotité », not « etp »), as the
    finding's place does; a heading told by its letter (it could hold a name) stays out."""
    heading = finding["intitule"]
    if not heading or not heading.startswith("«"):
        return text
    return text.replace(f"« {finding['colonne']} »", heading)


def _type_hits(batch: pl.DataFrame, failures: pl.DataFrame, contract: Contract) -> pl.DataFrame:
    located = failures.join(
        batch.select(ROW, FILE_COLUMN, LINE_COLUMN), on=[FILE_COLUMN, LINE_COLUMN]
    )
    dates = contract.date_columns
    swapped = pl.col("colonne").is_in(dates) & pl.col("valeur").str.contains(MONTH_FIRST)
    identifier = pl.col("colonne").is_in(contract.pseudonymised_columns)
    ambiguous = pl.col("colonne").is_in(dates) & pl.col("valeur").str.contains(EITHER_WAY)
    formula = pl.col("valeur").str.contains(SPREADSHEET_ERROR)
    thousands = [c.name for c in contract.columns if may_count_thousands(c)]
    ambiguous_number = pl.col("colonne").is_in(thousands) & pl.col("valeur").str.contains(
        AMBIGUOUS_THOUSANDS
    )
    kind = (
        pl.when(formula)
        .then(pl.lit("erreur_tableur_"))
        .when(ambiguous_number)
        .then(pl.lit("nombre_ambigu_"))
        .when(identifier)
        .then(pl.lit("notation_scientifique_"))
        .when(swapped)
        .then(pl.lit("date_inversee_"))
        .when(ambiguous)
        .then(pl.lit("date_ambigue_"))
        .otherwise(pl.lit("type_"))
    )
    value = pl.when(identifier & ~formula).then(pl.lit(MASKED)).otherwise(pl.col("valeur"))
    rule = (
        pl.when(pl.col("colonne").is_null())
        .then(pl.lit(OVERFLOW))
        .otherwise(kind + pl.col("colonne"))
    )
    return located.select(ROW, rule.alias("regle"), value.alias("valeur"))


def _expectation_hits(
    con: duckdb.DuckDBPyConnection, contract: Contract, codes: Codes, batch: pl.DataFrame
) -> pl.DataFrame:
    derived = "".join(f", ({d.sql}) AS {d.name}" for d in contract.derived)
    con.register("lot", batch)
    try:
        frame = con.sql(f"SELECT lot.*{derived} FROM lot").df()
    finally:
        con.unregister("lot")
    hits = failing_rows(frame, contract.name, contract_rules(contract, codes))
    return hits.with_columns(pl.lit(None, pl.String).alias("valeur"))


# The rules that find a value unreadable (its type, its code, a date written month first, an
# identifier a spreadsheet wrote in scientific notation, a failed formula), and a required value
# missing.
UNREADABLE = (
    "^(type|nomenclature|date_inversee|date_ambigue|notation_scientifique|erreur_tableur"
    "|nombre_ambigu)_"
)
MISSING = "^obligatoire_"


def _drop_consequences(
    hits: pl.DataFrame, contract: Contract, rules: dict[str, Rule]
) -> pl.DataFrame:
    """Report a value that cannot be read (bad type or unknown code) or is missing once, not
    through every rule that then misreads it: drop the row's other findings on rules involving
    that column (an empty identifier is not also a person without a follow-up measure; an
    unreadable date, read empty, is not also a missing one)."""
    reading = pl.col("regle").str.contains(UNREADABLE)
    missing = pl.col("regle").str.contains(MISSING)
    primary = hits.filter(reading | missing)
    if primary.height == 0:
        return hits
    involved = {name: involved_columns(rule, contract) for name, rule in rules.items()}
    columns = primary.select(
        ROW,
        reading.alias("_illisible"),
        pl.col("regle").str.replace(UNREADABLE, "").str.replace(MISSING, "").alias("_colonne"),
    )
    same_column = pl.col("regle").str.replace(MISSING, "") == pl.col("_colonne")
    candidates = (
        hits.join(columns, on=ROW)
        .with_columns(
            pl.struct("regle", "_colonne")
            .map_elements(
                lambda r: r["_colonne"] in involved.get(r["regle"], ()), return_dtype=pl.Boolean
            )
            .alias("_implique")
        )
        .filter(
            ~reading
            & pl.when(missing).then(pl.col("_illisible") & same_column).otherwise("_implique")
        )
    )
    return hits.join(candidates.select(ROW, "regle"), on=[ROW, "regle"], how="anti")


def _word(
    hits: pl.DataFrame,
    batch: pl.DataFrame,
    contract: Contract,
    rules: dict[str, Rule],
    known: frozenset[str],
    headings: pl.DataFrame,
) -> pl.DataFrame:
    """One steward-readable row per (row, rule): where (the column as the file heads it), what,
    the value (as far as it can be told, see told.py), how to fix."""
    meta = pl.DataFrame(
        {
            "regle": list(rules),
            "colonne": [r.column for r in rules.values()],
            "gravite": [SEVERITY_FR[r.severity] for r in rules.values()],
            "_description": [r.description for r in rules.values()],
            "correction": [r.correction for r in rules.values()],
            "atteinte_vie_privee": [r.privacy_violation for r in rules.values()],
        }
    )
    located = (
        hits.join(meta, on="regle")
        .join(
            batch.select(
                ROW,
                "code_site",
                "periode",
                pl.col(FILE_COLUMN).alias("fichier"),
                pl.col("sha256_fichier").alias("sha256"),
                pl.col(LINE_COLUMN).alias("ligne"),
            ),
            on=ROW,
        )
        .join(headings, on=["fichier", "colonne"], how="left")
    )
    values = _values(located, batch, contract)
    dates = contract.date_columns
    worded = located.join(values, on=[ROW, "colonne"], how="left").with_columns(
        told_values(pl.coalesce("valeur", "_texte"), dates, known).alias("valeur")
    )
    return worded.with_columns(
        pl.lit(contract.name).alias("type_export"),
        pl.struct("_description", "valeur", "colonne", "intitule")
        .map_elements(
            lambda f: _headed(in_message(f["_description"], f["valeur"], EMPTY), f),
            return_dtype=pl.String,
        )
        .alias("message"),
        pl.struct("correction", "colonne", "intitule")
        .map_elements(lambda f: _headed(f["correction"], f), return_dtype=pl.String)
        .alias("correction"),
    ).drop("_description", "_texte")


def _values(located: pl.DataFrame, batch: pl.DataFrame, contract: Contract) -> pl.DataFrame:
    """The offending cell as the steward would read it back; identifiers are never shown."""
    parts = []
    for column in located["colonne"].drop_nulls().unique().to_list():
        rows = located.filter(pl.col("colonne") == column).select(ROW).unique()
        if column not in batch.columns:
            continue
        text = (
            pl.when(pl.col(column).is_not_null()).then(pl.lit(MASKED))
            if column in contract.pseudonymised_columns
            else _as_text(batch.schema[column], pl.col(column))
        )
        parts.append(
            batch.join(rows, on=ROW).select(
                ROW, pl.lit(column).alias("colonne"), text.alias("_texte")
            )
        )
    empty = pl.DataFrame(schema={ROW: pl.Int64, "colonne": pl.String, "_texte": pl.String})
    return pl.concat([empty, *parts], how="vertical_relaxed")


def _as_text(dtype: pl.DataType, value: pl.Expr) -> pl.Expr:
    if dtype == pl.Date:
        return value.dt.strftime("%d/%m/%Y")
    if dtype == pl.Boolean:
        return pl.when(value).then(pl.lit("oui")).when(~value).then(pl.lit("non"))
    if dtype == pl.Float64:
        return value.cast(pl.String).str.replace(r"\.0$", "").str.replace(".", ",", literal=True)
    return value.cast(pl.String)
