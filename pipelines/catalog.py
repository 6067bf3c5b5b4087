"""The indicator catalog (data_contracts/indicateurs.yaml): the one place indicators are described.

The SQL reads its calculation columns from the table `catalogue_indicateurs`, the reports read
labels and definitions from `load_catalog()`, statistical confidentiality reads which counts of
people each figure rests on (`Catalog.protected_measures`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from pipelines.codes import load_codes
from pipelines.errors import IaeError
from pipelines.paths import CONTRACTS_DIR

CATALOG_PATH = CONTRACTS_DIR / "indicateurs.yaml"
# `stock: dernier_jour`: a stock counted on the period's last day (a year's is its last semester's).
LAST_DAY = "dernier_jour"


@dataclass(frozen=True)
class Indicator:
    """One catalog entry: what outputs print about an indicator and how the SQL computes it."""

    id: str
    theme: str
    libelle: str
    definition: str
    numerateur: str
    denominateur: str | None
    unite: str  # nombre | taux | ratio | jours | etp | moyenne
    sens: str  # hausse_favorable | baisse_favorable | neutre
    methode: str  # somme | rapport | mediane | distinct
    mesure: str
    mesure_denominateur: str | None
    fenetre_mois: int | None
    stock: bool  # a count at a date or over the whole period: a year's is not its semesters' sum
    dernier_jour: bool  # a stock counted on the period's last day: a year's is its last semester's
    personnes: bool  # its measures count people: statistical confidentiality applies
    observations: str | None  # a median's number of observations, when a measure counts them
    # What a window (fenetre_mois) waits for: 'reincarcerations' (the national extract) or
    # 'suivi' (the sites' later deliveries); otherwise the export its measures come from.
    source: str
    plausibilite_min: float | None  # outside these, a figure betrays a wrong delivery
    plausibilite_max: float | None
    par_site: bool  # also published for each site (the others from the department up)

    @property
    def is_count(self) -> bool:
        """A count of pathways or people: small counts are suppressed."""
        return self.unite == "nombre" and self.personnes

    @property
    def is_share(self) -> bool:
        """A rate whose numerator is part of its denominator (the rest is a count too)."""
        return self.methode == "rapport" and self.unite == "taux"


@dataclass(frozen=True)
class Measure:
    """A count of people that a published rate or median makes known without printing it.

    `parmi`: a measure it is part of (the rest is a count too); `moyenne_de`: the two counts it
    is the mean of (a rate's denominator such as the mean headcount of the first and last day).
    """

    id: str
    libelle: str
    stock: bool
    dernier_jour: bool
    parmi: str | None
    moyenne_de: tuple[str, ...]


@dataclass(frozen=True)
class Decomposition:
    """A count that is the sum of its parts (beyond what the code lists say)."""

    total: str
    parties: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    version: str
    themes: dict[str, str]
    indicators: tuple[Indicator, ...]
    measures: tuple[Measure, ...]
    decompositions: tuple[Decomposition, ...]

    def __getitem__(self, indicator_id: str) -> Indicator:
        return {i.id: i for i in self.indicators}[indicator_id]

    def published_counts(self) -> dict[str, Indicator]:
        """Measure → the first count indicator printing it (two indicators may share one)."""
        counts: dict[str, Indicator] = {}
        for i in self.indicators:
            if i.is_count:
                counts.setdefault(i.mesure, i)
        return counts

    def protected_measures(self) -> list[str]:
        """Every count of people an output prints or lets a reader compute: count indicators,
        the numerators and denominators of rates, medians' numbers of observations, and what
        the declared measures are part or mean of."""
        wanted: list[str] = list(self.published_counts())
        for i in self.indicators:
            if not i.personnes:
                continue
            if i.methode == "rapport":
                wanted += [i.mesure, i.mesure_denominateur]
            elif i.observations:
                wanted.append(i.observations)
        for m in self.measures:
            wanted += [m.id, *([m.parmi] if m.parmi else []), *m.moyenne_de]
        for d in self.decompositions:
            wanted += [d.total, *d.parties]
        return list(dict.fromkeys(w for w in wanted if w))


def _fill(value: Any, code: str, libelle: str) -> Any:
    """Put a code and its label into a templated catalog value (strings, nested in dicts)."""
    if isinstance(value, str):
        return value.replace("{code}", code).replace("{libelle}", libelle)
    if isinstance(value, dict):
        return {k: _fill(v, code, libelle) for k, v in value.items()}
    return value


def _expand(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """An entry with `pour_chaque` stands for one indicator per code of that code list."""
    nomenclature = entry.get("pour_chaque")
    if nomenclature is None:
        return [entry]
    return [_fill(entry, c.code, c.libelle) for c in load_codes()[nomenclature].codes]


def _bound(bounds: dict[str, Any], side: str) -> float | None:
    return None if bounds.get(side) is None else float(bounds[side])


def _indicator(entry: dict[str, Any]) -> Indicator:
    calcul = entry["calcul"]
    plausible = entry.get("plausibilite", {})
    return Indicator(
        id=entry["id"],
        theme=entry["theme"],
        libelle=entry["libelle"],
        definition=entry["definition"],
        numerateur=entry["numerateur"],
        denominateur=entry.get("denominateur"),
        unite=entry["unite"],
        sens=entry["sens"],
        methode=calcul["methode"],
        mesure=calcul["mesure"],
        mesure_denominateur=calcul.get("denominateur"),
        fenetre_mois=calcul.get("fenetre_mois"),
        stock=bool(calcul.get("stock", False)),
        dernier_jour=calcul.get("stock") == LAST_DAY,
        personnes=bool(calcul.get("personnes", entry["unite"] != "etp")),
        observations=calcul.get("observations"),
        source=calcul.get("source", "parcours"),
        plausibilite_min=_bound(plausible, "min"),
        plausibilite_max=_bound(plausible, "max"),
        par_site=bool(entry.get("par_site", False)),
    )


def _measure(entry: dict[str, Any]) -> Measure:
    return Measure(
        id=entry["id"],
        libelle=entry["libelle"],
        stock=bool(entry.get("stock", False)),
        dernier_jour=entry.get("stock") == LAST_DAY,
        parmi=entry.get("parmi"),
        moyenne_de=tuple(entry.get("moyenne_de", ())),
    )


def _check_measures(catalog: Catalog) -> None:
    """Every count a rate or median rests on is either printed (a count indicator) or declared
    in `mesures` (with its label and whether it is a stock): confidentiality needs both."""
    known = set(catalog.published_counts()) | {m.id for m in catalog.measures}
    unknown = [m for m in catalog.protected_measures() if m not in known]
    if unknown:
        raise IaeError(
            f"Catalogue des indicateurs ({CATALOG_PATH.name}) : mesures sans déclaration "
            f"(ajoutez-les à la liste « mesures ») : {', '.join(unknown)}."
        )


@cache
def load_catalog() -> Catalog:
    """The indicator catalog, templated entries expanded over their code lists, in file order."""
    raw = yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8"))
    entries = [e for entry in raw["indicateurs"] for e in _expand(entry)]
    catalog = Catalog(
        version=str(raw["version"]),
        themes=dict(raw["themes"]),
        indicators=tuple(_indicator(e) for e in entries),
        measures=tuple(_measure(e) for m in raw.get("mesures", ()) for e in _expand(m)),
        decompositions=tuple(
            Decomposition(d["total"], tuple(d["parties"])) for d in raw.get("decompositions", ())
        ),
    )
    _check_measures(catalog)
    return catalog
