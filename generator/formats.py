"""What each site's office software makes of an export: one stable style per site.

A style fixes the file format, encoding, delimiter, date and decimal spelling, header wording,
column order, extra columns and code spelling. A site keeps its style from one semester to the
next, except a few that change software once.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Any

from generator.randomness import stream
from pipelines.contracts import Column, Contract
from pipelines.periods import Semester

EXTRA_HEADERS = {
    "nom": {
        "canon": "nom",
        "upper": "NOM",
        "spaces": "nom",
        "french": "Nom",
        "alias": "nom_famille",
    },
    "prenom": {
        "canon": "prenom",
        "upper": "PRENOM",
        "spaces": "prenom",
        "french": "Prénom",
        "alias": "prenom",
    },
    "observations": {
        "canon": "observations",
        "upper": "OBSERVATIONS",
        "spaces": "observations",
        "french": "Observations",
        "alias": "remarques",
    },
    "commentaire": {
        "canon": "commentaire",
        "upper": "COMMENTAIRE",
        "spaces": "commentaire",
        "french": "Commentaire",
        "alias": "commentaires",
    },
}
# Headers as a French spreadsheet user types them; each one simplifies to a name or an alias.
FRENCH_HEADERS = {
    "identifiant": "N° écrou",
    "sexe": "Sexe",
    "annee_naissance": "Année de naissance",
    "statut_penal": "Statut pénal",
    "quantum_peine_mois": "Quantum de peine (mois)",
    "niveau_diplome": "Niveau de diplôme",
    "date_orientation_cpu": "Date d'orientation CPU",
    "date_entree": "Date d'entrée",
    "date_sortie": "Date de sortie",
    "motif_sortie": "Motif de sortie",
    "type_amenagement": "Type d'aménagement",
    "situation_sortie": "Situation à la sortie",
    "heures_travaillees": "Nombre d'heures travaillées",
    "clea_obtenu": "Certificat CléA",
    "nb_formations": "Nombre de formations",
    "nb_pmsmp": "Nombre de PMSMP",
    "accompagnement_post_sortie": "Accompagnement après sortie",
    "mesure_suivi": "Mesure de suivi",
    "identifiant_salarie": "Matricule",
    "fonction": "Fonction occupée",
    "date_arrivee": "Date d'arrivée",
    "date_depart": "Date de départ",
    "etp": "Équivalent temps plein",
    "date_observation": "Date d'observation",
    "situation": "Situation observée",
    "date_reincarceration": "Date de réincarcération",
    "date_ecrou": "Date d'écrou",
}
SUIVI_FRENCH = {"date_sortie": "Date libération"}
BOOLEAN_WORDS = (("oui", "non"), ("Oui", "Non"), ("O", "N"), ("1", "0"), ("OUI", "NON"))
SHEET_NAMES = ("Feuil1", "Export", "Données", "Sheet1", "Extraction")


@dataclass(frozen=True)
class Raw:
    """A cell written exactly as given (an unreadable date, a number with its unit…)."""

    text: str


@dataclass(frozen=True)
class FileStyle:
    fmt: str = "csv"  # csv | xlsx
    delimiter: str = ";"
    decimal: str = ","
    encoding: str = "utf-8"  # cp1252 | utf-8-sig | utf-8
    newline: str = "\r\n"
    quote_all: bool = False
    date_style: str = "fr"  # fr (05/07/2026) | iso (2026-07-05)
    excel_dates: bool = False
    title_row: bool = False
    sheet_name: str = "Feuil1"
    bool_words: tuple[str, str] = ("oui", "non")
    header_style: str = "canon"  # canon | upper | spaces | french | alias
    typographic_apostrophe: bool = False
    code_style: str = "canon"  # canon | upper | lower | words
    id_style: str = "upper"  # upper | lower | padded | grouped
    extras: tuple[str, ...] = ()
    shuffle: int | None = None
    alias_seed: int = 0
    trailing_blank_rows: int = 0
    fixed_decimals: bool = False

    @property
    def extension(self) -> str:
        return "xlsx" if self.fmt == "xlsx" else "csv"

    @property
    def first_data_line(self) -> int:
        """The steward's line number of the first data row (header = 1, or 2 under a title)."""
        return 3 if self.fmt == "xlsx" and self.title_row else 2


NATIONAL_STYLE = FileStyle(encoding="utf-8", newline="\r\n", date_style="fr")


def draw_style(rng: random.Random) -> FileStyle:
    """One office software's way of writing exports."""
    if rng.random() < 0.3:
        return _xlsx_style(rng)
    delimiter = ";" if rng.random() < 0.8 else ","
    encoding = rng.choices(("cp1252", "utf-8-sig", "utf-8"), weights=(0.45, 0.3, 0.25))[0]
    return replace(
        _common(rng, encoding),
        delimiter=delimiter,
        decimal="," if delimiter == ";" or rng.random() < 0.4 else ".",
        encoding=encoding,
        newline="\r\n" if rng.random() < 0.8 else "\n",
        quote_all=rng.random() < 0.12,
        date_style="fr" if rng.random() < 0.75 else "iso",
        trailing_blank_rows=rng.choice((0, 0, 0, 1, 2, 3)),
    )


def _xlsx_style(rng: random.Random) -> FileStyle:
    return replace(
        _common(rng, "utf-8"),
        fmt="xlsx",
        excel_dates=rng.random() < 0.6,
        title_row=rng.random() < 0.5,
        sheet_name=rng.choice(SHEET_NAMES),
        date_style="fr" if rng.random() < 0.8 else "iso",
    )


def _common(rng: random.Random, encoding: str) -> FileStyle:
    extras = rng.choices(
        (
            (),
            ("nom", "prenom"),
            ("observations",),
            ("commentaire",),
            ("nom", "prenom", "observations"),
        ),
        weights=(0.5, 0.2, 0.12, 0.1, 0.08),
    )[0]
    return FileStyle(
        bool_words=rng.choice(BOOLEAN_WORDS),
        header_style=rng.choices(
            ("canon", "upper", "spaces", "french", "alias"), weights=(3, 2, 1, 3, 2)
        )[0],
        typographic_apostrophe=encoding == "cp1252" and rng.random() < 0.7,
        code_style=rng.choices(("canon", "upper", "lower", "words"), weights=(5, 1, 1, 2))[0],
        id_style=rng.choices(("upper", "lower", "padded", "grouped"), weights=(6, 1, 1, 1))[0],
        extras=extras,
        shuffle=rng.randint(1, 10**6) if rng.random() < 0.3 else None,
        alias_seed=rng.randint(1, 10**6),
        fixed_decimals=rng.random() < 0.2,
    )


@dataclass(frozen=True)
class SiteStyles:
    """A site's style, and the one it switched to (new software) from a given semester, if any."""

    first: FileStyle
    second: FileStyle | None = None
    switch: Semester | None = None

    def at(self, period: Semester) -> FileStyle:
        if self.second is not None and self.switch is not None and period >= self.switch:
            return self.second
        return self.first


def site_styles(seed: int, code: str, first: Semester, last: Semester) -> SiteStyles:
    rng = stream(seed, "style", code)
    style = draw_style(rng)
    if rng.random() < 0.15 and first < last:
        span = (last.year - first.year) * 2 + last.half - first.half
        switch = first
        for _ in range(rng.randint(1, span)):
            switch = switch.next()
        return SiteStyles(style, draw_style(rng), switch)
    return SiteStyles(style)


# --- headers and column order ------------------------------------------------------------------


def header_text(column: Column, style: FileStyle, export: str) -> str:
    name = column.name
    if style.header_style == "upper":
        return name.upper()
    if style.header_style == "spaces":
        return name.replace("_", " ")
    if style.header_style == "french":
        text = (SUIVI_FRENCH if export == "suivi" else {}).get(name, FRENCH_HEADERS[name])
        return text.replace("'", "’") if style.typographic_apostrophe else text
    if style.header_style == "alias":
        options = [name, *column.aliases]
        return stream(style.alias_seed, "alias", export, name).choice(options)
    return name


def layout(contract: Contract, style: FileStyle) -> list[tuple[str, str]]:
    """(header text, key) for each column of the file, in the file's order."""
    columns = [(header_text(c, style, contract.name), c.name) for c in contract.columns]
    if style.shuffle is not None:
        stream(style.shuffle, "order", contract.name).shuffle(columns)
    extras = [
        (EXTRA_HEADERS[e][style.header_style], e) for e in style.extras if _extra_fits(e, contract)
    ]
    names = [c for c in extras if c[1] in ("nom", "prenom")]
    notes = [c for c in extras if c[1] not in ("nom", "prenom")]
    return names + columns + notes


def _extra_fits(extra: str, contract: Contract) -> bool:
    """No names in the national extract; no free-text column in the follow-up (it would be health data)."""
    if contract.name == "reincarcerations":
        return False
    return not (contract.name == "suivi" and extra in ("observations", "commentaire"))


# --- cell values -----------------------------------------------------------------------------


def format_date(day: date, style: FileStyle) -> str:
    return _date_text(day, style.date_style == "iso")


@cache
def _date_text(day: date, iso: bool) -> str:
    """Cached: a few thousand distinct dates are written millions of times at large scales."""
    return day.isoformat() if iso else f"{day.day:02d}/{day.month:02d}/{day.year}"


_IMPOSSIBLE = ((3, (30, 2)), (6, (31, 4)), (9, (31, 9)), (12, (31, 11)))


def invalid_date(day: date, style: FileStyle) -> Raw:
    """A date that does not exist, close to the real one (30 February, 31 April…)."""
    dom, month = next(pair for limit, pair in _IMPOSSIBLE if day.month <= limit)
    if style.date_style == "iso":
        return Raw(f"{day.year}-{month:02d}-{dom:02d}")
    return Raw(f"{dom:02d}/{month:02d}/{day.year}")


def format_number(value: float, style: FileStyle) -> str:
    if style.fixed_decimals and not isinstance(value, int):
        text = f"{value:.2f}"
    elif isinstance(value, int) or float(value).is_integer():
        text = str(int(value))
    else:
        text = f"{value:.1f}" if round(value, 1) == value else f"{value:.2f}"
    return text.replace(".", style.decimal) if style.decimal != "." else text


def format_code(code: str, style: FileStyle) -> str:
    if style.code_style == "upper":
        return code.upper()
    if style.code_style == "lower":
        return code.lower()
    if style.code_style == "words":
        return code.replace("_", " ").capitalize()
    return code


def format_identifier(identifier: str, style: FileStyle) -> str:
    if style.id_style == "lower":
        return identifier.lower()
    if style.id_style == "padded":
        return f" {identifier} "
    if style.id_style == "grouped" and len(identifier) > 4:
        return f"{identifier[:3]} {identifier[3:]}"
    return identifier


Formatter = Callable[[Any], str]


def text_formatter(column: Column | None, style: FileStyle) -> Formatter:
    """How a column's values are spelled in a text file (CSV)."""
    if column is None:
        return lambda v: "" if v is None else str(v)
    kind, iso = column.logical_type, style.date_style == "iso"
    if column.pseudonymised:
        base: Formatter = lambda v: format_identifier(v, style)  # noqa: E731
    elif column.nomenclature:
        base = lambda v: format_code(v, style)  # noqa: E731
    elif kind == "date":
        base = lambda v: _date_text(v, iso)  # noqa: E731
    elif kind in ("integer", "number"):
        base = lambda v: format_number(v, style)  # noqa: E731
    elif kind == "boolean":
        base = lambda v: style.bool_words[0] if v else style.bool_words[1]  # noqa: E731
    else:
        base = str

    def formatter(value: Any) -> str:
        if value is None:
            return ""
        if type(value) is Raw:
            return value.text
        return base(value)

    return formatter
