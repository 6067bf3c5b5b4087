"""Warehouse assets: one per SQL model (sql/staging, sql/marts, sql/indicators), so that the
Dagster UI shows the lineage model by model.

Each model's dependencies are the tables its SQL reads (`FROM` / `JOIN`, pipelines.warehouse.models),
never a list kept by hand. A layer's models are materialised together, as one multi-asset running the
layer in one transaction: readers never see a layer half rebuilt. The checks on `indicateurs` are
blocking: publications never read figures whose site sums do not add up, nor a figure outside the
plausibility bounds of its catalog entry (an occupancy of 4 167 935 % is a wrong delivery, not a
result).
"""

from collections.abc import Callable, Iterator

import dagster as dg
import duckdb
import polars as pl

from pipelines.contracts import NATIONAL_EXPORT, SITE_EXPORTS, load_contract
from pipelines.defs.ingestion import livraisons_nationales, livraisons_sites, referentiels
from pipelines.defs.resources import WAREHOUSE_POOL, SettingsParam, WarehouseResource
from pipelines.settings import Settings
from pipelines.stages import stage
from pipelines.warehouse.models import LAYERS, Model, build_indicators, layer_models, run_layer
from pipelines.warehouse.sql_files import select
from reports import formatting

IMPLAUSIBLE_SHOWN = 10
INDICATORS = dg.AssetKey("indicateurs")
REFERENCE_DATE = dg.AssetKey("date_reference")

# Tables the models read that the ingestion writes.
INGESTED = {
    "livraisons": (livraisons_sites.key, livraisons_nationales.key),
    **{load_contract(export).table: (livraisons_sites.key,) for export in SITE_EXPORTS},
    load_contract(NATIONAL_EXPORT).table: (livraisons_nationales.key,),
}
# Tables the models read that no asset writes: the catalog and the computation parameters,
# written by the indicators layer just before its models; frozen figures and purged pathways,
# written by a purge.
WRITTEN_ALONGSIDE = frozenset(
    {
        "catalogue_indicateurs",
        "catalogue_mesures",
        "catalogue_decompositions",
        "parametres_calcul",
        "indicateurs_geles",
        "resultats_croises_geles",
        "parcours_purges",
    }
)
MODELS = {layer: layer_models(layer) for layer in LAYERS}
MODEL_NAMES = frozenset(m.name for models in MODELS.values() for m in models)


def model_deps(model: Model) -> list[dg.AssetKey]:
    """The assets that write what a model reads; a table nobody writes stops the code location."""
    keys: set[dg.AssetKey] = set()
    for table in model.reads:
        if table in MODEL_NAMES:
            keys.add(dg.AssetKey(table))
        elif table.startswith("ref_"):
            keys.add(referentiels.key)
        elif table in INGESTED:
            keys.update(INGESTED[table])
        elif table not in WRITTEN_ALONGSIDE:
            raise ValueError(
                f"{model.name} ({model.layer}) lit « {table} », qu'aucun asset n'écrit."
            )
    return sorted(keys, key=lambda key: key.to_user_string())


def layer_asset(
    layer: str,
    name: str,
    build: Callable[[duckdb.DuckDBPyConnection, Settings], dict[str, int]],
    timed_as: str,
) -> dg.AssetsDefinition:
    """The models of a layer, built together in one transaction; rows of each in its metadata."""
    models = MODELS[layer]

    @dg.multi_asset(
        name=name,
        specs=[
            dg.AssetSpec(
                m.name, deps=model_deps(m), description=m.description, group_name="entrepot"
            )
            for m in models
        ],
        pool=WAREHOUSE_POOL,
    )
    def _layer(
        settings: SettingsParam, warehouse: WarehouseResource
    ) -> Iterator[dg.MaterializeResult]:
        with stage(timed_as), warehouse.connect() as con:
            rows = build(con, settings)
        for model in models:
            yield dg.MaterializeResult(asset_key=model.name, metadata={"lignes": rows[model.name]})

    return _layer


preparation = layer_asset(
    "staging", "preparation", lambda con, _: run_layer(con, "staging"), "entrepôt"
)
faits = layer_asset("marts", "faits", lambda con, _: run_layer(con, "marts"), "entrepôt")
calcul_indicateurs = layer_asset(
    "indicators",
    "calcul_indicateurs",
    lambda con, settings: build_indicators(con, settings.annual_full_time_hours),
    "indicateurs",
)
warehouse_models = [preparation, faits, calcul_indicateurs]


def _control(warehouse: WarehouseResource, view: str, what: str) -> dg.AssetCheckResult:
    """A check passes when its control view (sql/indicators/*_controle_*.sql) has no row."""
    with warehouse.connect() as con:
        breaks = con.sql(f"SELECT * FROM {view}").pl()
    return dg.AssetCheckResult(
        passed=breaks.height == 0,
        description=f"Publication arrêtée : {breaks.height} indicateur(s) où {what} (vue {view} "
        "de l'entrepôt, détail dans l'interface Dagster). Corrigez le calcul avant de publier."
        if breaks.height
        else None,
        metadata={
            "ecarts": breaks.height,
            "exemples": dg.MetadataValue.json(breaks.head(5).to_dicts()),
        },
    )


@dg.asset_check(
    asset=INDICATORS,
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Numérateurs et dénominateurs des sites = ceux du département, de la DISP et de la France.",
)
def additivite(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    return _control(
        warehouse,
        "controle_additivite",
        "la somme des sites diffère du département, de la DISP ou de la France",
    )


@dg.asset_check(
    asset=INDICATORS,
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Aucun taux (proportion) hors de l'intervalle [0, 1].",
)
def taux_entre_0_et_1(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    return _control(warehouse, "controle_taux", "un taux sort de l'intervalle [0, 1]")


def describe_implausible(figures: pl.DataFrame) -> str:
    """The figures outside their bounds, as the operator reads them, and what to do."""
    lines = [
        f"Publication arrêtée : {figures.height} chiffre(s) hors des bornes plausibles du catalogue "
        "des indicateurs (data_contracts/indicateurs.yaml, champ plausibilite) :"
    ]
    for f in figures.head(IMPLAUSIBLE_SHOWN).iter_rows(named=True):
        low, high = (
            formatting.figure(f[b], f["unite"]) for b in ("plausibilite_min", "plausibilite_max")
        )
        lines.append(
            f"  - {f['libelle']}, {f['libelle_zone'] or f['code_zone']} ({f['maille']} {f['code_zone']}), "
            f"{f['periode']} : {formatting.figure(f['valeur'], f['unite'])} (plausible de {low} à {high})"
        )
    if figures.height > IMPLAUSIBLE_SHOWN:
        lines.append(f"  - … et {figures.height - IMPLAUSIBLE_SHOWN} autre(s).")
    lines.append(
        "Ces chiffres trahissent une livraison aberrante (fichier en double ou d'un autre site, "
        "heures saisies en minutes…). Faites corriger et renvoyer les livraisons des sites en cause "
        "(pages de qualité), puis relancez : les publications précédentes restent en place."
    )
    return "\n".join(lines)


@dg.asset_check(
    asset=INDICATORS,
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Chaque chiffre dans les bornes plausibles de son indicateur (catalogue, champ "
    "plausibilite : taux d'occupation entre 0 et 200 %, délais et durées…).",
)
def plausibilite(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        figures = select(con, "controls", "plausibilite")
    return dg.AssetCheckResult(
        passed=figures.height == 0,
        description=describe_implausible(figures) if figures.height else None,
        metadata={
            "chiffres_hors_bornes": figures.height,
            "exemples": dg.MetadataValue.json(figures.head(5).to_dicts()),
        },
    )


indicator_checks = [additivite, taux_entre_0_et_1, plausibilite]


defs = dg.Definitions(assets=warehouse_models, asset_checks=indicator_checks)
