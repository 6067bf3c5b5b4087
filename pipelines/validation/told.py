"""What a finding tells of the value it is about: as written when it can only be data, else its
shape. The finding is stored with the quarantine and printed on the site's quality page, so a
name or a number that identifies someone must not reach it, whichever column it was typed in (a
row shifted by one cell puts the surname under « date d'entrée » and the prison number under
« sexe »); the line and the column still find the cell in the file.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import polars as pl

from pipelines.codes import Codes, words_of
from pipelines.contracts import Contract
from pipelines.ingest.coercion import MONTHS, SPREADSHEET_ERROR

# An identifier the steward's file held, never told back.
MASKED = "(identifiant masqué)"
# A number of this many digits may be a prison or phone number, or a date of birth.
IDENTIFYING_DIGITS = 6
DATE_SHAPE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")
# Units and words of quantities a site writes beside a number (« 0,5 ETP », « 35 h », « mi-temps »).
QUANTITY_WORDS = frozenset(
    {"h", "heure", "heures", "mois", "an", "ans", "jour", "jours", "j", "etp", "temps", "plein"}
    | {"partiel", "mi", "sem", "semestre", "er", "eme", "e"}
)
# A number, possibly ordinal or with its unit stuck to it (« 1er », « 35h », « 2e »).
_NUMBER_WORD = re.compile(r"^\d+(?:er|e|eme|h)?$")


NOT_REPRODUCED = ", non reproduit"


def in_message(description: str, value: str | None, empty: str) -> str:
    """The rule's description with its value: « 31/02/2025 » n'est pas… as written, but « La
    valeur (texte de 6 caractères, non reproduit) n'est pas… » when only its shape is told."""
    if (
        value is not None
        and value.endswith(NOT_REPRODUCED)
        and description.startswith("« {valeur} »")
    ):
        return description.replace("« {valeur} »", f"La valeur ({value})", 1)
    return description.replace("{valeur}", value or empty)


def known_words(contract: Contract, codes: Codes) -> frozenset[str]:
    """The words a value made only of says what it is: the code lists', the contract's column
    names and headings, the months, quantities."""
    headings = [w for heading in contract.header_lookup() for w in heading.split("_")]
    return codes.words() | frozenset(headings) | frozenset(MONTHS) | QUANTITY_WORDS


def told(
    value: str | None, column: str | None, dates: Collection[str], known: frozenset[str]
) -> str | None:
    """A value as written when it has no letter (a date, a number of fewer than six digits, or
    a date in a date column), only words of `known`, not all single letters, or is a failed
    formula (`#N/A`); else its shape, never its text."""
    if value is None or value == MASKED or re.match(SPREADSHEET_ERROR, value):
        return value
    digits = sum(char.isdigit() for char in value)
    if not any(char.isalpha() for char in value):
        if digits < IDENTIFYING_DIGITS or (column in dates and DATE_SHAPE.match(value)):
            return value
        return f"nombre de {digits} chiffres{NOT_REPRODUCED}"
    words = words_of(value)
    data = all(w in known or _NUMBER_WORD.match(w) for w in words) and digits < IDENTIFYING_DIGITS
    if data and any(len(w) > 1 for w in words):  # initials alone (« J. D. ») may name someone
        return value
    return f"texte de {len(value)} caractère{'s' if len(value) > 1 else ''}{NOT_REPRODUCED}"


def told_values(value: pl.Expr, dates: Collection[str], known: frozenset[str]) -> pl.Expr:
    """`told` over a frame of findings (`colonne` names each one's column)."""
    return pl.struct(value.alias("v"), pl.col("colonne").alias("c")).map_elements(
        lambda cell: told(cell["v"], cell["c"], dates, known), return_dtype=pl.String
    )
