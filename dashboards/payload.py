"""The data embedded in the page, as compact JSON: every number already protected.

Figures are rows of indices into the zone, period and indicator lists (`[zone, période,
indicateur, valeur, effectif, masque]`), about 20 bytes a figure: the page holds every period of
every zone, and the filters only choose among them. A hidden figure has no number at all, only
the index of the text shown instead (« < 5 », « secret », « effectif insuffisant »…).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from dashboards import views
from dashboards.data import DashboardData
from pipelines.catalog import Catalog
from pipelines.codes import Code, load_codes
from reports import formatting
from reports.confidentiality import PUBLISHED


def _compact(value: float | None, unit: str) -> float | int | None:
    """The number the publications print (formatting.figure_as_printed), so that the page shows
    the same string and its changes are differences of printed figures; `12` rather than `12.0`."""
    printed = formatting.figure_as_printed(value, unit)
    return int(printed) if printed is not None and printed.is_integer() else printed


def _period_label(row: dict[str, Any]) -> str:
    label = formatting.period(row["periode"])
    return f"{label} (jusqu'au {row['fin']:%d/%m})" if row["partielle"] else label


def _periods(periods: pl.DataFrame) -> list[dict[str, str]]:
    return [
        {
            "code": row["periode"],
            "type": row["type_periode"],
            "libelle": _period_label(row),
            "debut": row["debut"].isoformat(),
            "partielle": row["partielle"],
        }
        for row in periods.iter_rows(named=True)
    ]


def _zones(zones: pl.DataFrame) -> list[dict[str, str | None]]:
    return [
        {
            "code": row["code_zone"],
            "maille": row["maille"],
            "libelle": row["libelle"],
            "departement": row["code_departement"],
            "disp": row["code_disp"],
        }
        for row in zones.iter_rows(named=True)
    ]


def _unit_format(unit: str) -> dict[str, int | str]:
    """The unit's printing rule (formatting.UNIT_FORMATS), for the page's script."""
    shape = formatting.UNIT_FORMATS[unit]
    return {"echelle": shape.scale, "decimales": shape.decimals, "suffixe": shape.suffix}


def _indicators(catalog: Catalog, ids: list[str]) -> list[dict[str, str | None]]:
    return [
        {
            "id": i.id,
            "libelle": i.libelle,
            "unite": i.unite,
            "format": _unit_format(i.unite),
            "definition": i.definition,
            "base": catalog[views.BASES[i.id]].libelle if i.id in views.BASES else None,
        }
        for i in (catalog[id_] for id_ in ids)
    ]


def _index(values: list[str]) -> dict[str, int]:
    return {value: n for n, value in enumerate(values)}


def _figure_rows(
    figures: pl.DataFrame, indexes: dict[str, dict[str, int]], catalog: Catalog
) -> tuple[list[list[Any]], list[str]]:
    """Figure rows and the list of texts hidden figures show (rows point into it)."""
    masks = figures.filter(pl.col("statut") != PUBLISHED)["texte"].unique().sort().to_list()
    mask_index = _index(masks)
    zones, periods, indicators = indexes["zone"], indexes["periode"], indexes["indicateur"]
    rows = []
    for f in figures.iter_rows(named=True):
        unit = catalog[f["indicateur"]].unite
        hidden = f["statut"] != PUBLISHED
        rows.append(
            [
                zones[f["code_zone"]],
                periods[f["periode"]],
                indicators[f["indicateur"]],
                _compact(f["valeur"], unit),
                _compact(f["effectif"], "nombre"),
                mask_index[f["texte"]] if hidden else None,
            ]
        )
    return rows, masks


def _delivery_rows(
    deliveries: pl.DataFrame, zones: dict[str, int], statuses: dict[str, int]
) -> list[list[Any]]:
    """`[site, semestre, pire état, parcours, personnel, suivi, fichiers ou lignes écartés]`."""
    status_columns = ("statut", "parcours", "personnel", "suivi")
    return [
        [
            zones[d["code_site"]],
            d["periode"],
            *(statuses.get(d[c]) for c in status_columns),
            int(bool(d["anomalies"])),
        ]
        for d in deliveries.iter_rows(named=True)
    ]


def _breakdowns() -> list[dict[str, Any]]:
    """Each breakdown's group and its (indicator, category label) pairs, in code-list order."""
    codes = load_codes()
    return [
        {
            "groupe": group,
            "titre": title,
            "categories": [[f"{prefix}{c.code}", c.libelle] for c in codes[nomenclature].codes],
        }
        for group, title, nomenclature, prefix in views.BREAKDOWNS
    ]


def build_payload(data: DashboardData, catalog: Catalog, statuses: list[Code]) -> dict[str, Any]:
    """Everything the page's script reads: lists, then rows pointing into them.

    `statuses`: delivery status codes from the best to the worst (pipelines.codes.delivery_statuses).
    """
    zones = _zones(data.zones)
    periods = _periods(data.periods)
    indicator_ids = data.figures["indicateur"].unique(maintain_order=True).to_list()
    indexes = {
        "zone": _index([z["code"] for z in zones]),
        "periode": _index([p["code"] for p in periods]),
        "indicateur": _index(indicator_ids),
    }
    values, masks = _figure_rows(data.figures, indexes, catalog)
    return {
        "zones": zones,
        "periodes": periods,
        "indicateurs": _indicators(catalog, indicator_ids),
        "vues": {"tendances": list(views.TRENDS), "comparaison": list(views.COMPARISON)},
        "ventilations": _breakdowns(),
        "masques": masks,
        "valeurs": values,
        "statuts": [{"code": c.code, "libelle": c.libelle} for c in statuses],
        "livraisons": _delivery_rows(
            data.deliveries, indexes["zone"], _index([c.code for c in statuses])
        ),
        "semestres_livres": sorted(data.deliveries["periode"].unique().to_list()),
    }
