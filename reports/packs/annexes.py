"""The annexes every pack carries: data quality of the deliveries, and the methodology."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import polars as pl
import yaml

from pipelines.catalog import CATALOG_PATH, load_catalog
from pipelines.codes import delivery_statuses, load_codes
from reports import formatting
from reports.confidentiality import count_text
from reports.packs.dataset import DEPARTMENT, ROW_COUNTS, PackDataset

DEFINITION_FIELDS = ("libelle", "definition", "numerateur", "denominateur")


@dataclass(frozen=True)
class Definition:
    """A catalog entry as the annex prints it; one written for each code of a code list is
    printed once (« … » in place of the code's label), followed by the codes' labels."""

    libelle: str
    definition: str
    numerateur: str
    denominateur: str | None
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    libelle: str
    indicateurs: list[Definition]


def _definition(entry: dict) -> Definition:
    codes = load_codes()[entry["pour_chaque"]].codes if "pour_chaque" in entry else ()
    fill = {k: str(entry.get(k) or "").replace("{libelle}", "…") for k in DEFINITION_FIELDS}
    return Definition(
        fill["libelle"],
        fill["definition"],
        fill["numerateur"],
        fill["denominateur"] or None,
        tuple(c.libelle for c in codes),
    )


@cache
def methodology() -> list[Theme]:
    """The indicator catalog's definitions by theme, in the catalog's order (read once)."""
    raw = yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8"))
    return [
        Theme(name, [_definition(e) for e in raw["indicateurs"] if e["theme"] == theme])
        for theme, name in raw["themes"].items()
    ]


def _status_summary(counts: dict[str, int]) -> list[dict[str, object]]:
    return [
        {"statut": s.code, "libelle": s.libelle, "nombre": counts[s.code]}
        for s in delivery_statuses()
        if counts.get(s.code)
    ]


def _with_texts(rows: pl.DataFrame) -> list[dict]:
    present = [c for c in ROW_COUNTS if c in rows.columns]
    return [{**r, **{f"{c}_texte": count_text(r[c]) for c in present}} for r in rows.to_dicts()]


def _department_names(dataset: PackDataset) -> pl.DataFrame:
    return (
        dataset.figures.filter(pl.col("maille") == DEPARTMENT)
        .select(
            "code_departement",
            pl.format("{} ({})", "libelle_zone", "code_departement").alias("libelle"),
        )
        .unique()
    )


def _revision_rows(dataset: PackDataset) -> list[dict[str, object]]:
    """Figures published before and changed since by a late correction: old, new and why."""
    catalog = load_catalog()
    return [
        {
            **row,
            "indicateur": catalog[row["indicateur"]].libelle,
            "periode": formatting.period(row["periode"]),
        }
        for row in dataset.revisions.sort("periode", "maille", "code_zone", "indicateur").to_dicts()
    ]


def annex_context(dataset: PackDataset) -> dict[str, object]:
    """What the annex templates read: deliveries and their summary, definitions, thresholds."""
    deliveries = dataset.deliveries
    if dataset.kind == DEPARTMENT:
        counts = dict(deliveries.group_by("statut").len().iter_rows())
    else:
        deliveries = deliveries.join(_department_names(dataset), on="code_departement").sort(
            "code_departement"
        )
        counts = {s.code: deliveries[s.code].sum() for s in delivery_statuses()}
    return {
        "revisions": _revision_rows(dataset),
        "livraisons": _with_texts(deliveries),
        "statuts": _status_summary(counts),
        "livraisons_dues": sum(counts.values()),
        "echeances": dataset.due_dates,
        "methodologie": methodology(),
        "seuils": {
            "effectif": dataset.thresholds.min_count,
            "denominateur": dataset.thresholds.min_denominator,
        },
    }
