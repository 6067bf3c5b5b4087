"""Data contracts (data_contracts/*.yaml, Open Data Contract Standard v3 shape) as plain dataclasses.

Everything downstream — header mapping, typing, pseudonymisation, the Great Expectations suites,
the raw tables' DDL, the steward's messages — is derived from these files, never restated in code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from pipelines.codes import simplify, spellings
from pipelines.paths import CONTRACTS_DIR

EXPORT_TYPES = ("parcours", "personnel", "suivi", "reincarcerations")
DUCKDB_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "date": "DATE",
    "boolean": "BOOLEAN",
}


@dataclass(frozen=True)
class Column:
    name: str
    logical_type: str
    required: bool
    description: str
    nomenclature: str | None = None
    pseudonymised: bool = False
    aliases: tuple[str, ...] = ()
    minimum: float | None = None
    exclusive_minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.logical_type]


@dataclass(frozen=True)
class Rule:
    """One quality rule: a Great Expectations expectation plus what the steward reads."""

    name: str
    description: str
    severity: str  # "error" | "warning"
    column: str | None  # None: the rule is about the whole row
    correction: str
    expectation: str
    kwargs: dict[str, Any]
    privacy_violation: bool = False


@dataclass(frozen=True)
class DerivedColumn:
    """A helper column computed in DuckDB over the batch before validation (never stored)."""

    name: str
    sql: str


@dataclass(frozen=True)
class Contract:
    name: str
    version: str
    scope: str  # "site" | "national" | "referentiel"
    table: str
    min_rows: int
    row_key: tuple[str, ...]
    columns: tuple[Column, ...]
    rules: tuple[Rule, ...]
    derived: tuple[DerivedColumn, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def pseudonymised_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.pseudonymised]

    @property
    def date_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.logical_type == "date"]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def header_lookup(self) -> dict[str, str]:
        """Simplified header spelling → contract column name (names and their aliases); read it
        with `codes.look_up`, which also tries a header without its bracketed part."""
        lookup = {simplify(column.name): column.name for column in self.columns}
        for column in self.columns:
            for spelling in column.aliases:
                for key in spellings(spelling):
                    lookup.setdefault(key, column.name)
        return lookup


def _custom(entry: dict[str, Any]) -> dict[str, Any]:
    return {p["property"]: p["value"] for p in entry.get("customProperties", [])}


def _column(spec: dict[str, Any]) -> Column:
    custom, options = _custom(spec), spec.get("logicalTypeOptions", {})
    return Column(
        name=spec["name"],
        logical_type=spec["logicalType"],
        required=bool(spec.get("required", False)),
        description=spec.get("description", ""),
        nomenclature=custom.get("nomenclature"),
        pseudonymised=bool(custom.get("pseudonymise", False)),
        aliases=tuple(custom.get("alias", [])),
        minimum=options.get("minimum"),
        exclusive_minimum=options.get("exclusiveMinimum"),
        maximum=options.get("maximum"),
        pattern=options.get("pattern"),
    )


def _rule(spec: dict[str, Any]) -> Rule:
    custom = _custom(spec)
    return Rule(
        name=spec["name"],
        description=" ".join(spec["description"].split()),
        severity=spec.get("severity", "error"),
        column=custom["colonne"],
        correction=custom["correction"],
        expectation=spec["implementation"]["type"],
        kwargs=dict(spec["implementation"].get("kwargs", {})),
        privacy_violation=bool(custom.get("atteinteViePrivee", False)),
    )


def parse_contract(raw: dict[str, Any]) -> Contract:
    custom = _custom(raw)
    (schema,) = raw["schema"]
    return Contract(
        name=raw["name"],
        version=str(raw["version"]),
        scope=custom["porteeFichier"],
        table=schema["physicalName"],
        min_rows=int(custom.get("lignesMinimum", 0)),
        row_key=tuple(custom.get("cleLigne", [])),
        columns=tuple(_column(p) for p in schema["properties"]),
        rules=tuple(_rule(q) for q in schema.get("quality", [])),
        derived=tuple(
            DerivedColumn(d["name"], d["sql"]) for d in custom.get("colonnesDerivees", [])
        ),
    )


@cache
def load_contract(name: str) -> Contract:
    path = CONTRACTS_DIR / f"{name}.yaml"
    return parse_contract(yaml.safe_load(path.read_text(encoding="utf-8")))


def _exports_of_scope(scope: str) -> tuple[str, ...]:
    """The export types each site sends (`site`) or the national one (`national`), as their
    contracts declare."""
    return tuple(t for t in EXPORT_TYPES if load_contract(t).scope == scope)


SITE_EXPORTS = _exports_of_scope("site")
(NATIONAL_EXPORT,) = _exports_of_scope("national")


def contracts_version() -> str:
    """One label for the set of contracts a run used (shown on every output)."""
    return ", ".join(f"{n} {load_contract(n).version}" for n in (*EXPORT_TYPES, "sites"))
