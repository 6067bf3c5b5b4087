"""The French code lists (nomenclatures) of data_contracts/codes.yaml: the one place codes are defined."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import yaml

from pipelines.paths import CONTRACTS_DIR

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def simplify(text: str) -> str:
    """Lower case, no accents, words joined by `_`: how headers and codes are compared."""
    text = text.replace("’", "'").replace("œ", "oe").replace("Œ", "oe")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_ALNUM.sub("_", plain).strip("_")


@dataclass(frozen=True)
class Code:
    code: str
    libelle: str
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Nomenclature:
    name: str
    libelle: str
    codes: tuple[Code, ...]
    aliases: dict[str, str]

    @property
    def values(self) -> list[str]:
        return [c.code for c in self.codes]

    def canonical(self, raw: str) -> str | None:
        """The code a site meant (`Liberation Fin de peine` → `liberation_fin_de_peine`), or None."""
        return self.aliases.get(simplify(raw))

    def label(self, code: str) -> str:
        return next((c.libelle for c in self.codes if c.code == code), code)


@dataclass(frozen=True)
class Codes:
    version: str
    nomenclatures: dict[str, Nomenclature]
    true_words: frozenset[str]
    false_words: frozenset[str]

    def __getitem__(self, name: str) -> Nomenclature:
        return self.nomenclatures[name]


def _nomenclature(name: str, spec: dict[str, Any]) -> Nomenclature:
    codes, aliases = [], {}
    for entry in spec["valeurs"]:
        extra = {k: v for k, v in entry.items() if k not in ("code", "libelle", "alias")}
        code = Code(str(entry["code"]), entry["libelle"], extra)
        codes.append(code)
        for spelling in [code.code, *entry.get("alias", [])]:
            aliases[simplify(str(spelling))] = code.code
    return Nomenclature(name, spec["libelle"], tuple(codes), aliases)


@cache
def load_codes() -> Codes:
    raw = yaml.safe_load((CONTRACTS_DIR / "codes.yaml").read_text(encoding="utf-8"))
    return Codes(
        version=str(raw["version"]),
        nomenclatures={n: _nomenclature(n, s) for n, s in raw["nomenclatures"].items()},
        true_words=frozenset(simplify(w) for w in raw["booleens"]["vrai"]),
        false_words=frozenset(simplify(w) for w in raw["booleens"]["faux"]),
    )
