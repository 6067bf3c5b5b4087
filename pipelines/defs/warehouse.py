"""Warehouse assets: prepared rows, facts and indicators, one asset per SQL layer.

One asset per layer rather than per model file: a layer's files depend on one another in name
order and the whole build takes about a second, so per-file assets would only add a dependency
list to keep in step with the SQL; the layers give the lineage that matters (deliveries →
prepared rows → facts → indicators) and show where a failure is. Row counts by model are in
each materialisation's metadata. The checks on `indicateurs` are blocking: publications never
read figures whose site sums do not add up, nor a figure outside the plausibility bounds of its
catalog entry (an occupancy of 4 167 935 % is a wrong delivery, not a result).
"""

import dagster as dg
import polars as pl

from pipelines.defs.ingestion import livraisons_nationales, livraisons_sites
from pipelines.defs.resources import WAREHOUSE_POOL, SettingsParam, WarehouseResource
from pipelines.stages import timed
from pipelines.warehouse.models import build_indicators, run_layer
from pipelines.warehouse.sql_files import select
from reports import formatting

IMPLAUSIBLE_SHOWN = 10


@dg.asset(
    group_name="entrepot",
    deps=[livraisons_sites, livraisons_nationales],
    pool=WAREHOUSE_POOL,
)
@timed("entrepôt")
def donnees_preparees(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Rows of the deliveries in force only (sql/staging), one view per raw table."""
    with warehouse.connect() as con:
        return dg.MaterializeResult(metadata=run_layer(con, "staging"))


@dg.asset(group_name="entrepot", deps=[donnees_preparees], pool=WAREHOUSE_POOL)
@timed("entrepôt")
def faits(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Pathways, hours by semester, staff, releases, re-incarcerations, periods and zones (sql/marts)."""
    with warehouse.connect() as con:
        return dg.MaterializeResult(metadata=run_layer(con, "marts"))


@dg.asset(group_name="entrepot", deps=[faits], pool=WAREHOUSE_POOL)
@timed("indicateurs")
def indicateurs(settings: SettingsParam, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Every catalog indicator by site, department, DISP and nation × semester and year (sql/indicators)."""
    with warehouse.connect() as con:
        return dg.MaterializeResult(metadata=build_indicators(con, settings.annual_full_time_hours))


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
    asset=indicateurs,
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
    asset=indicateurs,
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
    asset=indicateurs,
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
