"""Every rule of a contract: the ones its columns imply, then the ones its quality section names.

Column rules come from the column's properties (required, code list, bounds, pattern, type), worded
from data_contracts/messages.yaml; their descriptions keep a `{valeur}` placeholder that is filled
with the offending value of each row.
"""

from __future__ import annotations

import re

from pipelines.codes import Codes
from pipelines.contracts import Column, Contract, Rule
from pipelines.ingest.coercion import may_count_thousands
from pipelines.messages import column_rule_text, line_rule_text, type_wording

SEVERITY_FR = {"error": "erreur", "warning": "avertissement"}


def _rule(kind: str, column: Column, expectation: str, kwargs: dict, **wording: object) -> Rule:
    description, correction = column_rule_text(
        kind, colonne=column.name, valeur="{valeur}", **wording
    )
    return Rule(
        name=f"{kind}_{column.name}",
        description=description,
        severity="error",
        column=column.name,
        correction=correction,
        expectation=expectation,
        kwargs={"column": column.name, **kwargs},
    )


def type_rule(column: Column) -> Rule:
    """Unreadable values are found while typing, not by an expectation (`expectation` is empty).
    A number of at most 1 is a share, worded as one (« 0,5 pour un mi-temps », not « 12,5 »)."""
    share = column.logical_type == "number" and column.maximum is not None and column.maximum <= 1
    return _rule("type", column, "", {}, **type_wording("part" if share else column.logical_type))


def swapped_date_rule(column: Column) -> Rule:
    """An unreadable date that reads as month/day (`06/20/2025`): its whole column is suspect."""
    return _rule("date_inversee", column, "", {})


def ambiguous_date_rule(column: Column) -> Rule:
    """A date whose day and month are both 12 or less, in a file that writes the month first
    elsewhere: it may have been read the wrong way round (pipelines/ingest/prepare.py)."""
    return _rule("date_ambigue", column, "", {})


def digits_lost_rule(column: Column) -> Rule:
    """An identifier in scientific notation: found before hashing (pipelines/ingest/prepare.py)."""
    return _rule("notation_scientifique", column, "", {})


def ambiguous_number_rule(column: Column) -> Rule:
    """A number that reads in thousands as well as in decimals (`1.200`): not read (pipelines/
    ingest/coercion.py)."""
    return _rule("nombre_ambigu", column, "", {})


def spreadsheet_error_rule(column: Column) -> Rule:
    """A cell showing a failed formula (`#N/A`): found before anything reads it (pipelines/
    ingest/prepare.py)."""
    return _rule("erreur_tableur", column, "", {})


def column_rules(column: Column, codes: Codes) -> list[Rule]:
    rules = []
    if column.required:
        rules.append(_rule("obligatoire", column, "expect_column_values_to_not_be_null", {}))
    if column.nomenclature:
        values = codes[column.nomenclature].values
        rules.append(
            _rule(
                "nomenclature",
                column,
                "expect_column_values_to_be_in_set",
                {"value_set": values},
                codes=", ".join(values),
            )
        )
    low = column.minimum if column.minimum is not None else column.exclusive_minimum
    if low is not None:
        strict = column.exclusive_minimum is not None
        rules.append(
            _rule(
                "minimum",
                column,
                "expect_column_values_to_be_between",
                {"min_value": low, "strict_min": strict},
                minimum=f"plus de {low}" if strict else low,
            )
        )
    if column.maximum is not None:
        rules.append(
            _rule(
                "maximum",
                column,
                "expect_column_values_to_be_between",
                {"max_value": column.maximum},
                maximum=column.maximum,
            )
        )
    if column.pattern:
        rules.append(
            _rule(
                "format",
                column,
                "expect_column_values_to_match_regex",
                {"regex": column.pattern},
                detail=column.description,
            )
        )
    return rules


def contract_rules(contract: Contract, codes: Codes) -> list[Rule]:
    """The rules checked by Great Expectations, column rules first."""
    return [rule for column in contract.columns for rule in column_rules(column, codes)] + list(
        contract.rules
    )


def _reading_rules(column: Column) -> list[Rule]:
    """The rules a value meets while it is read, before any expectation."""
    return [
        spreadsheet_error_rule(column),
        *([type_rule(column)] if column.logical_type != "string" else []),
        *(
            [swapped_date_rule(column), ambiguous_date_rule(column)]
            if column.logical_type == "date"
            else []
        ),
        *([digits_lost_rule(column)] if column.pseudonymised else []),
        *([ambiguous_number_rule(column)] if may_count_thousands(column) else []),
    ]


# A text file's row with values past its header's last column (pipelines/ingest/readers.py).
OVERFLOW = "ligne_trop_longue"


def overflow_rule() -> Rule:
    """A warning about the whole row: which of its columns the shift starts at is not known."""
    description, correction = line_rule_text(OVERFLOW)
    return Rule(OVERFLOW, description, "warning", None, correction, "", {})


def all_rules(contract: Contract, codes: Codes) -> dict[str, Rule]:
    """By name, including the rules met while reading (for wording the findings)."""
    rules = {rule.name: rule for c in contract.columns for rule in _reading_rules(c)}
    rules[OVERFLOW] = overflow_rule()
    return rules | {rule.name: rule for rule in contract_rules(contract, codes)}


def involved_columns(rule: Rule, contract: Contract) -> set[str]:
    """Contract columns a rule reads, directly or through the derived columns it uses."""
    text = f"{rule.column} {rule.kwargs}"
    for derived in contract.derived:
        if re.search(rf"\b{derived.name}\b", text):
            text += f" {derived.sql}"
    return {name for name in contract.column_names if re.search(rf"\b{name}\b", text)}
