"""The national dashboard: the static interactive page ATIGIP and DGEFP analysts open offline."""

from datetime import datetime

import dagster as dg

from dashboards.render import publish_dashboard
from pipelines.contracts import contracts_version
from pipelines.defs.quality import statut_livraisons
from pipelines.defs.resources import SettingsResource, WarehouseResource
from pipelines.defs.warehouse import indicateurs
from pipelines.stages import timed
from pipelines.warehouse.quality import reference_date
from reports.quality import RunInfo


@dg.asset(group_name="diffusion", deps=[indicateurs, statut_livraisons])
@timed("tableau de bord")
def tableau_de_bord(
    context: dg.AssetExecutionContext, settings: SettingsResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """One page with every zone and period, filters applied in the browser (publications/tableau_de_bord)."""
    run_settings = settings.get()
    with warehouse.connect(read_only=True) as con:
        run = RunInfo(
            context.run_id,
            reference_date(con),
            contracts_version(),
            datetime.now().strftime("%d/%m/%Y %H:%M"),
        )
        page = publish_dashboard(
            con, run_settings.outputs / "tableau_de_bord", run, run_settings.thresholds
        )
    return dg.MaterializeResult(
        metadata={"page": dg.MetadataValue.path(str(page)), "octets": page.stat().st_size}
    )
