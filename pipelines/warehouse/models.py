"""The warehouse models: sql/staging → sql/marts → sql/indicators, and the indicator catalog.

Each SQL file creates one model named like the file (`07_parcours.sql` → `parcours`; a letter may
follow the number, `05a_…`, to slot a file between two others). A layer runs in one transaction, so readers never see it half rebuilt. The catalog (data_contracts/
indicateurs.yaml) is the one place indicators are described: the SQL reads its calculation
columns from the table `catalogue_indicateurs`, reports read labels and definitions from
`load_catalog()`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import yaml

from pipelines.codes import load_codes
from pipelines.errors import IaeError
from pipelines.paths import CONTRACTS_DIR
from pipelines.warehouse.connection import transaction
from pipelines.warehouse.sql_files import run_folder

log = logging.getLogger("iae")
CATALOG_PATH = CONTRACTS_DIR / "indicateurs.yaml"
_CREATES = re.compile(r"CREATE\s+OR\s+REPLACE\s+(?:TABLE|VIEW)\s+(\w+)", re.IGNORECASE)
_ORDER_PREFIX = re.compile(r"^\d+[a-z]?_")


@dataclass(frozen=True)
class Indicator:
    """One catalog entry: what outputs print about an indicator and how the SQL computes it."""

    id: str
    theme: str
    libelle: str
    definition: str
    numerateur: str
    denominateur: str | None
    unite: str  # nombre | taux | ratio | jours | etp
    sens: str  # hausse_favorable | baisse_favorable | neutre
    methode: str  # somme | rapport | mediane | distinct
    mesure: str
    mesure_denominateur: str | None
    fenetre_mois: int | None
    stock: bool  # a count at a date or over the whole period: a year's is not its semesters' sum
    # The export the measures come from: parcours | personnel | suivi | reincarcerations |
    # referentiel. A window (fenetre_mois) elapses against the reference date of that source.
    source: str
    plausibilite_min: float | None = None  # outside these, a figure betrays a wrong delivery
    plausibilite_max: float | None = None

    @property
    def is_count(self) -> bool:
        """A count of pathways or people: small counts are suppressed (DOMAIN.md §7)."""
        return self.unite == "nombre"


@dataclass(frozen=True)
class Catalog:
    version: str
    themes: dict[str, str]
    indicators: tuple[Indicator, ...]

    def __getitem__(self, indicator_id: str) -> Indicator:
        return {i.id: i for i in self.indicators}[indicator_id]


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
        source=calcul.get("source", "parcours"),
        plausibilite_min=_bound(plausible, "min"),
        plausibilite_max=_bound(plausible, "max"),
    )


@cache
def load_catalog() -> Catalog:
    """The indicator catalog, templated entries expanded over their code lists, in file order."""
    raw = yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8"))
    entries = [e for entry in raw["indicateurs"] for e in _expand(entry)]
    return Catalog(
        version=str(raw["version"]),
        themes=dict(raw["themes"]),
        indicators=tuple(_indicator(e) for e in entries),
    )


def model_name(path: Path) -> str:
    """The model a SQL file creates; it must create exactly one, named like the file."""
    created = _CREATES.findall(path.read_text(encoding="utf-8"))
    expected = _ORDER_PREFIX.sub("", path.stem)
    if created != [expected]:
        raise IaeError(
            f"Le fichier SQL {path.name} doit créer un seul modèle, nommé « {expected} » "
            f"(il crée : {', '.join(created) or 'rien'})."
        )
    return expected


def run_layer(con: duckdb.DuckDBPyConnection, layer: str) -> dict[str, int]:
    """Run a layer's files in name order, in one transaction; rows of each model it created."""
    log.info("Entrepôt : couche %s…", layer)
    with transaction(con):
        names = [model_name(path) for path in run_folder(con, layer)]
    return {name: con.sql(f"SELECT count(*) FROM {name}").fetchall()[0][0] for name in names}


def _write_table(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    con.register("_a_ecrire", frame)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM _a_ecrire")
    finally:
        con.unregister("_a_ecrire")


def write_indicator_inputs(con: duckdb.DuckDBPyConnection, annual_full_time_hours: float) -> None:
    """The tables the indicator SQL reads besides the marts: the catalog and the settings it uses."""
    rows = [{"ordre": n, **asdict(i)} for n, i in enumerate(load_catalog().indicators, start=1)]
    _write_table(
        con,
        "catalogue_indicateurs",
        pl.DataFrame(
            rows,
            schema_overrides={
                "fenetre_mois": pl.Int32,
                "plausibilite_min": pl.Float64,
                "plausibilite_max": pl.Float64,
            },
            infer_schema_length=None,
        ),
    )
    _write_table(
        con,
        "parametres_calcul",
        pl.DataFrame({"heures_annuelles_temps_plein": [float(annual_full_time_hours)]}),
    )


def _uncomputed_indicators(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Catalog ids whose measure the SQL does not produce (view controle_catalogue)."""
    return [r[0] for r in con.sql("SELECT id FROM controle_catalogue ORDER BY ordre").fetchall()]


def build_indicators(
    con: duckdb.DuckDBPyConnection, annual_full_time_hours: float
) -> dict[str, int]:
    """The indicators layer, after its inputs; a catalog entry the SQL cannot compute stops here."""
    write_indicator_inputs(con, annual_full_time_hours)
    counts = run_layer(con, "indicators")
    missing = _uncomputed_indicators(con)
    if missing:
        raise IaeError(
            "Indicateurs du catalogue (data_contracts/indicateurs.yaml) sans mesure calculée par "
            f"sql/indicators : {', '.join(missing)}. Vérifiez les noms de mesure de leur calcul."
        )
    return counts


def build_all(con: duckdb.DuckDBPyConnection, annual_full_time_hours: float) -> dict[str, int]:
    """Every model, staging → marts → indicators; rows by model."""
    return {
        **run_layer(con, "staging"),
        **run_layer(con, "marts"),
        **build_indicators(con, annual_full_time_hours),
    }
