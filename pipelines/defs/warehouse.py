"""Warehouse assets: prepared rows, facts and indicators, one asset per SQL layer.

One asset per layer rather than per model file: a layer's files depend on one another in name
order and the whole build takes about a second, so per-file assets would only add a dependency
list to keep in step with the SQL; the layers give the lineage that matters (deliveries →
prepared rows → facts → indicators) and show where a failure is. Row counts by model are in
each materialisation's metadata. The checks on `indicateurs` are blocking: publications never
read figures whose site sums do not add up.
"""

import dagster as dg

from pipelines.defs.ingestion import livraisons_nationales, livraisons_sites
from pipelines.defs.resources import WAREHOUSE_POOL, SettingsResource, WarehouseResource
from pipelines.stages import timed
from pipelines.warehouse.models import build_indicators, run_layer


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
def indicateurs(settings: SettingsResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Every catalog indicator by site, department, DISP and nation × semester and year (sql/indicators)."""
    with warehouse.connect() as con:
        return dg.MaterializeResult(
            metadata=build_indicators(con, settings.get().annual_full_time_hours)
        )


def _control(warehouse: WarehouseResource, view: str) -> dg.AssetCheckResult:
    """A check passes when its control view (sql/indicators/*_controle_*.sql) has no row."""
    with warehouse.connect() as con:
        breaks = con.sql(f"SELECT * FROM {view}").pl()
    return dg.AssetCheckResult(
        passed=breaks.height == 0,
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
    return _control(warehouse, "controle_additivite")


@dg.asset_check(
    asset=indicateurs,
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Aucun taux (proportion) hors de l'intervalle [0, 1].",
)
def taux_entre_0_et_1(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    return _control(warehouse, "controle_taux")


indicator_checks = [additivite, taux_entre_0_et_1]
