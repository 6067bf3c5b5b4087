"""What is handed over besides the packs: the processing register entry and the analysts' copy;
and what is kept for the operator: the backup of what the inbox cannot give back."""

from pathlib import Path

import dagster as dg

from pipelines.defs.quality import statut_livraisons
from pipelines.defs.resources import SettingsParam, WarehouseResource
from pipelines.defs.warehouse import INDICATORS
from pipelines.stages import timed
from pipelines.warehouse.backup import save_backup
from pipelines.warehouse.snapshot import publish_snapshot
from reports.quality import run_info
from reports.register import render_register


@dg.asset(group_name="diffusion", deps=[INDICATORS])
@timed("diffusion")
def registre_traitements(
    context: dg.AssetExecutionContext, settings: SettingsParam, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """The register entry (RGPD art. 30) for the data protection officer, from contracts and settings."""
    with warehouse.connect(read_only=True) as con:
        run = run_info(context.run_id, con)
    page = render_register(settings, run, settings.outputs / "registre")
    return dg.MaterializeResult(metadata={"page": str(page)})


@dg.asset(group_name="diffusion", deps=[INDICATORS, statut_livraisons])
@timed("diffusion")
def entrepot_analystes(
    settings: SettingsParam, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """A read-only copy for ATIGIP and DGEFP analysts: indicators, referentials and quality tables,
    no person-level table; swapped in atomically, so analysts never open the file being written.
    Outside the publications folder (earlier versions wrote it there: removed)."""
    target, tables = publish_snapshot(Path(warehouse.path), settings.analysts)
    (settings.outputs / target.name).unlink(missing_ok=True)
    return dg.MaterializeResult(metadata={"fichier": str(target), "tables": ", ".join(tables)})


@dg.asset(group_name="diffusion", deps=[INDICATORS, statut_livraisons])
@timed("diffusion")
def sauvegarde_entrepot(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """A copy of what the inbox cannot give back (deliveries register, figures published and their
    revisions, key fingerprint, last purge), beside the warehouse: `iae reconstruire` rebuilds a
    damaged warehouse from it and the inbox. Runs after the packs, which freeze their figures."""
    target, tables = save_backup(Path(warehouse.path))
    return dg.MaterializeResult(metadata={"fichier": str(target), "tables": ", ".join(tables)})


defs = dg.Definitions(assets=[registre_traitements, entrepot_analystes, sauvegarde_entrepot])
