"""The national dashboard: the static interactive page ATIGIP and DGEFP analysts open offline."""

import dagster as dg

from dashboards.render import publish_dashboard
from pipelines.defs.confidentiality import chiffres_diffuses
from pipelines.defs.quality import statut_livraisons
from pipelines.defs.resources import SettingsParam, WarehouseResource
from pipelines.stages import timed
from reports.quality import run_info


@dg.asset(group_name="diffusion", deps=[chiffres_diffuses, statut_livraisons])
@timed("tableau de bord")
def tableau_de_bord(
    context: dg.AssetExecutionContext, settings: SettingsParam, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """One page with every zone and period, filters applied in the browser (publications/tableau_de_bord)."""
    with warehouse.connect(read_only=True) as con:
        run = run_info(context.run_id, con)
        page = publish_dashboard(
            con, settings.outputs / "tableau_de_bord", run, settings.thresholds
        )
    return dg.MaterializeResult(
        metadata={"page": dg.MetadataValue.path(str(page)), "octets": page.stat().st_size}
    )


defs = dg.Definitions(assets=[tableau_de_bord])
