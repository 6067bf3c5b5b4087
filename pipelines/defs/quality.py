"""Quality assets: what each site owed and sent, and the stewards' reports."""

import dagster as dg

from pipelines.defs.checks import SITE_DELIVERIES
from pipelines.defs.ingestion import livraisons_nationales
from pipelines.defs.resources import WAREHOUSE_POOL, SettingsParam, WarehouseResource
from pipelines.defs.warehouse import REFERENCE_DATE
from pipelines.stages import timed
from pipelines.warehouse.quality import build_quality_tables
from reports.quality import render_quality_reports, run_info


@dg.asset(group_name="qualite", deps=[SITE_DELIVERIES, livraisons_nationales], pool=WAREHOUSE_POOL)
@timed("qualité")
def statut_livraisons(
    settings: SettingsParam, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Each owed delivery (site × export × semester): on time, late, refused, missing or not yet due."""
    with warehouse.connect() as con:
        counts = build_quality_tables(con, settings)
    return dg.MaterializeResult(metadata=counts)


@dg.asset(group_name="qualite", deps=[statut_livraisons, REFERENCE_DATE])
@timed("qualité")
def rapports_qualite(
    context: dg.AssetExecutionContext, settings: SettingsParam, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """One page per site and semester listing what to fix, and the national overview (publications/qualite)."""
    target = settings.outputs / "qualite"
    with warehouse.connect(read_only=True) as con:
        run = run_info(context.run_id, con)
        pages = render_quality_reports(con, target, run, settings.thresholds)
    return dg.MaterializeResult(metadata={"pages": pages, "dossier": str(target)})


defs = dg.Definitions(assets=[statut_livraisons, rapports_qualite])
