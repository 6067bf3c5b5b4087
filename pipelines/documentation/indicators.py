"""What docs/indicateurs.md shows of the indicator catalog, as plain data for its template.

The catalog (`pipelines.catalog.load_catalog`) gives the words; the French readings of its
calculation codes (unit, direction, method, source) are here, and a code without one stops the
generation rather than print a bare code.
"""

from __future__ import annotations

from typing import Any

from pipelines.catalog import Catalog, Indicator, load_catalog
from pipelines.documentation.markdown import plain_number

UNITS = {
    "nombre": "nombre",
    "taux": "taux (proportion affichée en %)",
    "ratio": "ratio (affiché en %, peut dépasser 100 %)",
    "jours": "jours",
    "etp": "équivalents temps plein (ETP)",
    "moyenne": "moyenne par personne (nombre à deux décimales)",
}
DIRECTIONS = {
    "hausse_favorable": "une hausse est favorable",
    "baisse_favorable": "une baisse est favorable",
    "neutre": "neutre (ni la hausse ni la baisse ne sont favorables en soi)",
}
METHODS = {
    "somme": "somme des chiffres des sites de la zone",
    "rapport": (
        "somme des numérateurs des sites de la zone divisée par la somme de leurs dénominateurs"
    ),
    "mediane": "médiane des observations individuelles de tous les sites de la zone",
    "distinct": "nombre de valeurs distinctes sur tous les sites de la zone",
}
SOURCES = {
    "parcours": "fichier parcours des sites",
    "personnel": "fichier personnel des sites",
    "suivi": "fichier suivi des sites",
    "reincarcerations": "extrait national des réincarcérations",
    "referentiel": "référentiel des sites",
}


def _plausible(indicator: Indicator) -> str | None:
    low, high = indicator.plausibilite_min, indicator.plausibilite_max
    if low is None and high is None:
        return None
    if indicator.unite in ("taux", "ratio"):
        low, high = (None if v is None else 100 * v for v in (low, high))
        unit = " %"
    else:
        unit = ""
    return " ; ".join(
        f"{side} {plain_number(v)}{unit}"
        for side, v in (("au moins", low), ("au plus", high))
        if v is not None
    )


def _window(indicator: Indicator) -> str | None:
    if indicator.fenetre_mois is None:
        return None
    return (
        f"{indicator.fenetre_mois} mois, à écouler avant la date de référence de la source (voir "
        "la définition) ; avant, « pas encore mesurable »"
    )


def _year(indicator: Indicator) -> str | None:
    """How a count's year follows from its semesters (sql/indicators/07_regles_annee.sql)."""
    if indicator.methode not in ("somme", "distinct"):
        return None
    if indicator.dernier_jour:
        return "celui de son dernier semestre (compté le dernier jour)"
    if indicator.stock or not indicator.personnes:
        return (
            "pas la somme de ceux de ses semestres (compté sur toute la période) ; il porte sur "
            "les sites qui ont livré chacun de ses semestres"
        )
    return (
        "la somme de ceux de ses semestres, chacun comptant les sites qui l'ont livré (un site "
        "qui n'a livré qu'un semestre de l'année y compte pour ce semestre)"
    )


def _facts(indicator: Indicator) -> list[tuple[str, str]]:
    """The labelled lines under an indicator's definition, those that apply to it."""
    facts = [
        ("Numérateur", indicator.numerateur),
        ("Dénominateur", indicator.denominateur),
        ("Unité", UNITS[indicator.unite]),
        ("Sens de lecture", DIRECTIONS[indicator.sens]),
        ("Calcul pour une zone", METHODS[indicator.methode]),
        ("Fenêtre", _window(indicator)),
        ("Source", SOURCES[indicator.source]),
        ("Chiffre d'une année", _year(indicator)),
        (
            "Secret statistique",
            None
            if indicator.personnes
            else "ne s'applique pas (ce chiffre ne compte pas des personnes)",
        ),
        (
            "Publié par site",
            "oui" if indicator.par_site else "non (du département à la France seulement)",
        ),
        ("Bornes de plausibilité", _plausible(indicator)),
    ]
    return [(label, text) for label, text in facts if text]


def _indicator(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.id,
        "libelle": indicator.libelle,
        "definition": " ".join(indicator.definition.split()),
        "faits": _facts(indicator),
    }


def _themes(catalog: Catalog) -> list[dict[str, Any]]:
    unknown = {i.theme for i in catalog.indicators} - set(catalog.themes)
    if unknown:
        raise ValueError(f"Thèmes absents de la liste « themes » du catalogue : {sorted(unknown)}")
    return [
        {
            "code": code,
            "libelle": libelle,
            "indicateurs": [_indicator(i) for i in catalog.indicators if i.theme == code],
        }
        for code, libelle in catalog.themes.items()
    ]


def indicators_context() -> dict[str, Any]:
    catalog = load_catalog()
    return {
        "version": catalog.version,
        "themes": _themes(catalog),
        "nombre_indicateurs": len(catalog.indicators),
        "mesures": [
            {
                "id": m.id,
                "libelle": m.libelle,
                "stock": "dernier jour" if m.dernier_jour else "oui" if m.stock else "non",
                "parmi": f"`{m.parmi}`" if m.parmi else "",
                "moyenne_de": ", ".join(f"`{x}`" for x in m.moyenne_de),
            }
            for m in catalog.measures
        ],
    }
