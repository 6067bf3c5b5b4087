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


# Articles and prepositions a site may add or leave out (« Date d'entrée », « Recherche d'emploi »).
_FILLER_WORDS = frozenset({"a", "au", "aux", "d", "de", "des", "du", "en", "l", "la", "le", "les"})
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


@lru_cache(maxsize=1 << 16)
def simplify(text: str) -> str:
    """Lower case, no accents, no articles, words joined by `_`: how headers and codes are
    compared (`Date d'entrée` → `date_entree`)."""
    words = words_of(text)
    return "_".join([w for w in words if w not in _FILLER_WORDS] or words)


def simplify_keeping_articles(text: str) -> str:
    """As `simplify`, every word kept: how a cell saying nothing is recognised (« N/A » is not
    the « N » of a no once its « a » is dropped)."""
    return "_".join(words_of(text))


def words_of(text: str) -> list[str]:
    """The text's words, lower case, without accents."""
    text = text.replace("’", "'").replace("œ", "oe").replace("Œ", "oe")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return [word for word in _NOT_ALNUM.split(plain) if word]


# Words in brackets that make a heading say something else (« Date de libération
# (prévisionnelle) » is no exit date): such a heading is read whole.
_NOT_THE_SAME = re.compile(r"^(previsionnel|prevu|theorique|estime|probable|envisage|prochain)")


def spellings(text: str) -> tuple[str, ...]:
    """The simplified text, then without what it says in brackets (`Quantum (en mois)`), unless
    the brackets change what it names (`(prévisionnelle)`)."""
    full, bare = simplify(text), simplify(_BRACKETED.sub(" ", text))
    bracketed = " ".join(_BRACKETED.findall(text))
    if any(_NOT_THE_SAME.match(word) for word in words_of(bracketed)):
        return (full,)
    return (full, bare) if bare and bare != full else (full,)


def look_up(table: dict[str, str], text: str) -> str | None:
    """What `text` means in a table keyed by simplified spellings, or None."""
    return next((table[key] for key in spellings(text) if key in table), None)


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
        return look_up(self.aliases, raw)

    def label(self, code: str) -> str:
        return next((c.libelle for c in self.codes if c.code == code), code)


@dataclass(frozen=True)
class Codes:
    version: str
    nomenclatures: dict[str, Nomenclature]
    true_words: frozenset[str]
    check_marks: frozenset[str]  # a tick alone in a yes/no column: yes
    false_words: frozenset[str]
    # a cell saying nothing (`-`, `NC`, `néant`): read empty; see simplify_keeping_articles
    empty_words: frozenset[str]

    def __getitem__(self, name: str) -> Nomenclature:
        return self.nomenclatures[name]

    def words(self) -> frozenset[str]:
        """Every word of the code lists (codes, labels, aliases, yes/no and empty words, articles),
        simplified: a value written with them says what happened, not who it happened to."""
        spelled = [key for n in self.nomenclatures.values() for key in n.aliases]
        spelled += [*self.true_words, *self.false_words, *self.empty_words]
        return frozenset(w for s in spelled for w in s.split("_") if w) | _FILLER_WORDS


def _nomenclature(name: str, spec: dict[str, Any]) -> Nomenclature:
    """Codes in file order; each is recognised by its code, its French label and its aliases
    (a code's own spelling wins over another code's label or alias)."""
    codes = []
    for entry in spec["valeurs"]:
        extra = {k: v for k, v in entry.items() if k not in ("code", "libelle", "alias")}
        codes.append(Code(str(entry["code"]), entry["libelle"], extra))
    aliases = {simplify(code.code): code.code for code in codes}
    for code, entry in zip(codes, spec["valeurs"], strict=True):
        for spelling in [code.libelle, *entry.get("alias", [])]:
            for key in spellings(str(spelling)):
                aliases.setdefault(key, code.code)
    return Nomenclature(name, spec["libelle"], tuple(codes), aliases)


@cache
def load_codes() -> Codes:
    raw = yaml.safe_load((CONTRACTS_DIR / "codes.yaml").read_text(encoding="utf-8"))
    return Codes(
        version=str(raw["version"]),
        nomenclatures={n: _nomenclature(n, s) for n, s in raw["nomenclatures"].items()},
        true_words=frozenset(simplify(w) for w in raw["booleens"]["vrai"]),
        check_marks=frozenset(raw["booleens"]["coches"]),
        false_words=frozenset(simplify(w) for w in raw["booleens"]["faux"]),
        empty_words=frozenset({"", *(simplify_keeping_articles(w) for w in raw["vides"])}),
    )


def delivery_statuses() -> list[Code]:
    """The delivery status codes from the best to the worst (their gravity in the code list),
    with their badge and chart colours and symbol."""
    return sorted(load_codes()["statut_livraison"].codes, key=lambda c: c.attributes["gravite"])
