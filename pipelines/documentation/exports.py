"""What docs/exports.md shows of each contract and code list, as plain data for its template.

Everything comes from data_contracts/: the contracts (read through `pipelines.contracts`, plus
their `description` prose, which the runtime does not need), the code lists (`pipelines.codes`)
and the whole-file refusals of messages.yaml; the file extensions from the inbox reader.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from pipelines.codes import Codes, Nomenclature, load_codes, simplify, spellings
from pipelines.contracts import EXPORT_TYPES, Column, Contract, Rule, parse_contract
from pipelines.documentation.markdown import plain_number
from pipelines.ingest.inbox import DATA_SUFFIXES, IN_PROGRESS_SUFFIXES
from pipelines.paths import CONTRACTS_DIR
from pipelines.validation.rules import SEVERITY_FR

DOCUMENTED = (*EXPORT_TYPES, "sites")
SCOPES = {
    "site": "un fichier par site et par semestre",
    "national": "un fichier national par semestre, déposé par le référent national",
    "referentiel": "un référentiel tenu par le référent national",
}
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _yaml(name: str) -> dict[str, Any]:
    return yaml.safe_load((CONTRACTS_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def _type_names() -> dict[str, str]:
    """How a steward reads each logical type (`une date`), from messages.yaml."""
    return {t: spec["format"] for t, spec in _yaml("messages")["formats"].items()}


def _checks(column: Column, codes: Codes) -> list[str]:
    """The rules a column's own properties imply, as the validator derives them."""
    checks = []
    if column.nomenclature:
        listed = ", ".join(f"`{code}`" for code in codes[column.nomenclature].values)
        checks.append(f"codes : {listed}")
    if column.minimum is not None:
        checks.append(f"≥ {plain_number(column.minimum)}")
    if column.exclusive_minimum is not None:
        checks.append(f"> {plain_number(column.exclusive_minimum)}")
    if column.maximum is not None:
        checks.append(f"≤ {plain_number(column.maximum)}")
    if column.pattern:
        checks.append(f"format `{column.pattern}`")
    if column.pseudonymised:
        checks.append("pseudonymisé à la lecture, jamais conservé en clair")
    return checks


def _column(column: Column, codes: Codes, types: dict[str, str]) -> dict[str, Any]:
    return {
        "nom": column.name,
        "type": types[column.logical_type],
        "obligatoire": "oui" if column.required else "non",
        "controles": "; ".join(_checks(column, codes)),
        "description": column.description,
        "alias": [f"`{alias}`" for alias in column.aliases],
    }


def _rule(rule: Rule) -> dict[str, str]:
    return {
        "nom": rule.name,
        "gravite": SEVERITY_FR[rule.severity],
        "colonne": rule.column,
        "description": rule.description,
        "correction": rule.correction,
    }


def _contract(name: str, codes: Codes, types: dict[str, str]) -> dict[str, Any]:
    raw = _yaml(name)
    contract: Contract = parse_contract(raw)
    about = raw.get("description", {})
    return {
        "nom": contract.name,
        "version": contract.version,
        "portee": SCOPES[contract.scope],
        "objet": " ".join(str(about.get("purpose", "")).split()),
        "usage": " ".join(str(about.get("usage", "")).split()),
        "limites": " ".join(str(about.get("limitations", "")).split()),
        "lignes_minimum": contract.min_rows,
        "cle_ligne": [f"`{column}`" for column in contract.row_key],
        "colonnes": [_column(c, codes, types) for c in contract.columns],
        "regles": [_rule(r) for r in contract.rules],
    }


def _attribute(value: Any) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def _aliases(nomenclature: Nomenclature, code: str, libelle: str) -> list[str]:
    """Other spellings read as this code (besides the code itself and its label)."""
    own = {simplify(code), *spellings(libelle)}
    return [
        f"`{key}`"
        for key, target in nomenclature.aliases.items()
        if target == code and key not in own
    ]


def _nomenclature(nomenclature: Nomenclature) -> dict[str, Any]:
    attributes = list(dict.fromkeys(k for c in nomenclature.codes for k in c.attributes))
    return {
        "nom": nomenclature.name,
        "libelle": nomenclature.libelle,
        "attributs": attributes,
        "codes": [
            {
                "code": c.code,
                "libelle": c.libelle,
                "attributs": [_attribute(c.attributes.get(a, "")) for a in attributes],
                "alias": _aliases(nomenclature, c.code, c.libelle),
            }
            for c in nomenclature.codes
        ],
    }


def _refusals() -> list[dict[str, str]]:
    """Why a whole file is refused, worded as the steward reads it (placeholders as `…`)."""
    return [
        {
            "motif": rule,
            "description": _PLACEHOLDER.sub("…", text["description"]),
            "correction": _PLACEHOLDER.sub("…", text["correction"]),
        }
        for rule, text in _yaml("messages")["fichiers"].items()
    ]


def exports_context() -> dict[str, Any]:
    codes, types = load_codes(), _type_names()
    return {
        "codes_version": codes.version,
        "contrats": [_contract(name, codes, types) for name in DOCUMENTED],
        "nomenclatures": [_nomenclature(n) for n in codes.nomenclatures.values()],
        "vrai": sorted(codes.true_words),
        "faux": sorted(codes.false_words),
        "vides": _yaml("codes")["vides"],
        "refus": _refusals(),
        "extensions": [f"`{suffix}`" for suffix in sorted(DATA_SUFFIXES)],
        "provisoires": [f"`{suffix}`" for suffix in IN_PROGRESS_SUFFIXES],
    }
