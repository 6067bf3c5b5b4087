"""What a site's data steward reads: one `Finding` per problem, worded from data_contracts/messages.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from pipelines.paths import CONTRACTS_DIR

ERROR = "erreur"
WARNING = "avertissement"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    correction: str
    column: str | None = None
    value: str | None = None
    line: int | None = None
    privacy_violation: bool = False

    def render(self, file_name: str) -> str:
        where = file_name if self.line is None else f"{file_name}, ligne {self.line}"
        if self.column:
            where += f", colonne « {self.column} »"
        return f"{where} : {self.message} {self.correction}"


class FileRejected(Exception):
    """The whole file is refused (unreadable, wrong shape): nothing of it is stored."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


@cache
def _templates() -> dict[str, Any]:
    return yaml.safe_load((CONTRACTS_DIR / "messages.yaml").read_text(encoding="utf-8"))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def file_finding(
    rule: str,
    *,
    column: str | None = None,
    detail: str = "",
    line: int | None = None,
    **more: str,
) -> Finding:
    """A whole-file finding worded from messages.yaml; `more` fills the rule's own placeholders."""
    text = _templates()["fichiers"][rule]
    values = _Blank(colonne=column or "", detail=detail, **more)
    return Finding(
        rule=rule,
        severity=ERROR,
        message=text["description"].format_map(values),
        correction=text["correction"].format_map(values),
        column=column,
        line=line,
    )


def reject(rule: str, **kwargs: Any) -> FileRejected:
    return FileRejected(file_finding(rule, **kwargs))


def column_rule_text(kind: str, **values: Any) -> tuple[str, str]:
    """Description and correction of an automatic column rule (obligatoire, type, nomenclature…)."""
    text = _templates()["regles_colonnes"][kind]
    filled = _Blank({k: "" if v is None else v for k, v in values.items()})
    return text["description"].format_map(filled), text["correction"].format_map(filled)


def line_rule_text(kind: str) -> tuple[str, str]:
    """Description and correction of a rule about a whole row (ligne_trop_longue)."""
    text = _templates()["regles_lignes"][kind]
    return text["description"], text["correction"]


def type_wording(logical_type: str) -> dict[str, str]:
    spec = _templates()["formats"][logical_type]
    return {"format": spec["format"], "format_exemple": spec["exemple"]}
