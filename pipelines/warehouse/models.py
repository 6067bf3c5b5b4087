"""The warehouse models: sql/staging → sql/marts → sql/indicators.

Each SQL file creates one model named like the file (`07_parcours.sql` → `parcours`; a letter may
follow the number, `05a_…`, to slot a file between two others). A layer runs in one transaction,
so readers never see it half rebuilt. The indicator SQL reads the catalog (pipelines/catalog.py)
from the tables `catalogue_indicateurs` and `catalogue_mesures`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.catalog import load_catalog
from pipelines.errors import IaeError
from pipelines.paths import SQL_DIR
from pipelines.warehouse.connection import transaction, write_table
from pipelines.warehouse.sql_files import run_folder

log = logging.getLogger("iae")
_CREATES = re.compile(r"CREATE\s+OR\s+REPLACE\s+(?:TABLE|VIEW)\s+(\w+)", re.IGNORECASE)
_ORDER_PREFIX = re.compile(r"^\d+[a-z]?_")
_READS = re.compile(r"\b(?:FROM|JOIN)\s+([a-z_]\w*)\b(?!\s*\()", re.IGNORECASE)
_CTE = re.compile(r"\b([a-z_]\w*)\s*(?:\([^()]*\))?\s+AS\s*\(", re.IGNORECASE)
LAYERS = ("staging", "marts", "indicators")


@dataclass(frozen=True)
class Model:
    """A SQL model file: what it creates, the tables it reads (its lineage), what it holds."""

    name: str
    layer: str
    reads: frozenset[str]
    description: str


def _code(text: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in text.splitlines())


def _description(text: str) -> str:
    """The file's leading comment, without its `Key:` line."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        if not line.startswith("-- Key:"):
            lines.append(line.removeprefix("--").strip())
    return " ".join(lines)


def read_model(path: Path, layer: str) -> Model:
    text = path.read_text(encoding="utf-8")
    code = _code(text)
    local = {name.lower() for name in _CTE.findall(code)}
    reads = {name.lower() for name in _READS.findall(code)} - local
    return Model(model_name(path, text), layer, frozenset(reads), _description(text))


def layer_models(layer: str) -> list[Model]:
    """A layer's models in the order they run."""
    return [read_model(path, layer) for path in sorted((SQL_DIR / layer).glob("*.sql"))]


def model_name(path: Path, text: str | None = None) -> str:
    """The model a SQL file (of text `text`, read when not given) creates; it must create exactly
    one, named like the file."""
    created = _CREATES.findall(path.read_text(encoding="utf-8") if text is None else text)
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


def write_indicator_inputs(con: duckdb.DuckDBPyConnection, annual_full_time_hours: float) -> None:
    """The tables the indicator SQL reads besides the marts: the catalog and the settings it uses."""
    catalog = load_catalog()
    rows = [{"ordre": n, **asdict(i)} for n, i in enumerate(catalog.indicators, start=1)]
    write_table(
        con,
        "catalogue_indicateurs",
        pl.DataFrame(
            rows,
            schema_overrides={
                "fenetre_mois": pl.Int32,
                "observations": pl.String,
                "plausibilite_min": pl.Float64,
                "plausibilite_max": pl.Float64,
            },
            infer_schema_length=None,
        ),
    )
    write_table(
        con,
        "catalogue_mesures",
        pl.DataFrame(
            [asdict(m) for m in catalog.measures],
            schema={
                "id": pl.String,
                "libelle": pl.String,
                "stock": pl.Boolean,
                "dernier_jour": pl.Boolean,
                "parmi": pl.String,
                "moyenne_de": pl.List(pl.String),
            },
        ),
    )
    write_table(
        con,
        "catalogue_decompositions",
        pl.DataFrame(
            [
                {"decomposition": n, "total": d.total, "partie": p}
                for n, d in enumerate(catalog.decompositions)
                for p in d.parties
            ],
            schema={"decomposition": pl.Int64, "total": pl.String, "partie": pl.String},
        ),
    )
    write_table(
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
