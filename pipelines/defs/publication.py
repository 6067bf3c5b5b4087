"""Publication assets: the departmental COPIL packs (by semester), the national annual report (by
year) and the index page of every publication, with their jobs.

The departmental packs are one asset partitioned by semester whose output is one folder per
department (`publications/copil/departements/<semestre>/<département>/`), listed in the
materialisation's metadata: departments come and go with the sites referential, so they are
not assets of their own. A run re-renders only the packs whose figures changed.
"""

from datetime import datetime

import dagster as dg
import polars as pl

from pipelines.defs.confidentiality import chiffres_diffuses, confidentiality_checks
from pipelines.defs.dashboard import tableau_de_bord
from pipelines.defs.partitions import ANNEES, SEMESTRES
from pipelines.defs.quality import rapports_qualite, statut_livraisons
from pipelines.defs.resources import WAREHOUSE_POOL, SettingsParam, WarehouseResource
from pipelines.defs.warehouse import indicator_checks
from pipelines.stages import timed
from reports.packs.dataset import PackDataset
from reports.packs.frozen import freeze
from reports.packs.publish import (
    Outcome,
    departmental_packs,
    national_report,
    publish_departmental_packs,
    publish_index,
    publish_national_report,
)

# The blocking checks of the indicators and the secrecy audit run again in every publication job:
# a scheduled pack never publishes figures that failed them, even when no chain ran since.
BEFORE_PUBLISHING = dg.AssetSelection.checks(*indicator_checks, *confidentiality_checks)


class PublicationConfig(dg.Config):
    """`forcer`: render every pack again, even those whose figures did not change.
    `departements_modifies_seulement`: render only the departments whose own figures changed,
    leaving those where only the national comparison moved to the next run (after a re-submission).
    """

    forcer: bool = False
    departements_modifies_seulement: bool = False


def _metadata(outcomes: list[Outcome]) -> dict[str, dg.MetadataValue | int | float]:
    rendered = [o for o in outcomes if o.rendered]
    lines = ["| zone | dossier | regénéré | secondes |", "|---|---|---|---|"]
    lines += [
        f"| {o.zone} | {o.folder} | {'oui' if o.rendered else 'non'} | {o.seconds:.2f} |"
        for o in outcomes
    ]
    return {
        "dossiers": len(outcomes),
        "dossiers_regeneres": len(rendered),
        "secondes_par_dossier": round(sum(o.seconds for o in rendered) / len(rendered), 2)
        if rendered
        else 0.0,
        "detail": dg.MetadataValue.md("\n".join(lines)),
    }


def _freeze(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, published: list[PackDataset]
) -> int:
    """Record what the packs just published show (table chiffres_publies)."""
    if not published:
        return 0
    with warehouse.connect() as con:
        return freeze(
            con,
            pl.concat([d.shown() for d in published]),
            pl.concat([d.revisions for d in published]),
            context.run_id,
            datetime.now(),
        )


@dg.asset(
    group_name="publication",
    partitions_def=SEMESTRES,
    deps=[chiffres_diffuses, statut_livraisons],
    pool=WAREHOUSE_POOL,
)
@timed("dossiers COPIL départementaux")
def dossiers_copil_departementaux(
    context: dg.AssetExecutionContext,
    config: PublicationConfig,
    settings: SettingsParam,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Each department's COPIL pack for the semester (HTML, PDF, zip), re-rendered if its figures changed."""
    semester = context.partition_key
    with warehouse.connect(read_only=True) as con:
        datasets = departmental_packs(con, semester, settings.thresholds, context.run_id)
    if not datasets:
        context.log.warning(f"Aucun site ouvert au {semester} : aucun dossier départemental.")
    outcomes = publish_departmental_packs(
        datasets,
        settings.outputs,
        semester,
        force=config.forcer,
        own_changes_only=config.departements_modifies_seulement,
    )
    published = {o.zone for o in outcomes}
    frozen = _freeze(context, warehouse, [d for d in datasets if d.zone in published])
    return dg.MaterializeResult(metadata={**_metadata(outcomes), "chiffres_figes": frozen})


@dg.asset(
    group_name="publication",
    partitions_def=ANNEES,
    deps=[chiffres_diffuses, statut_livraisons],
    pool=WAREHOUSE_POOL,
)
@timed("rapport national")
def rapport_national_annuel(
    context: dg.AssetExecutionContext,
    config: PublicationConfig,
    settings: SettingsParam,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """The national annual report for the year (HTML, PDF, zip), re-rendered if its figures changed."""
    with warehouse.connect(read_only=True) as con:
        dataset = national_report(con, context.partition_key, settings.thresholds, context.run_id)
    outcome = publish_national_report(dataset, settings.outputs, force=config.forcer)
    frozen = _freeze(context, warehouse, [dataset])
    return dg.MaterializeResult(metadata={**_metadata([outcome]), "chiffres_figes": frozen})


@dg.asset(
    group_name="publication",
    deps=[
        dossiers_copil_departementaux,
        rapport_national_annuel,
        rapports_qualite,
        tableau_de_bord,
    ],
)
@timed("diffusion")
def index_publications(settings: SettingsParam) -> dg.MaterializeResult:
    """publications/index.html: every pack, the quality overview and the dashboard."""
    index = publish_index(settings.outputs, datetime.now())
    return dg.MaterializeResult(metadata={"page": str(index)})


dossiers_copil = dg.define_asset_job(
    "dossiers_copil",
    selection=dg.AssetSelection.assets(dossiers_copil_departementaux, index_publications)
    | BEFORE_PUBLISHING,
    partitions_def=SEMESTRES,
    description="Contrôles des indicateurs, dossiers des COPIL départementaux d'un semestre, puis l'index des publications.",
)

rapport_national = dg.define_asset_job(
    "rapport_national",
    selection=dg.AssetSelection.assets(rapport_national_annuel, index_publications)
    | BEFORE_PUBLISHING,
    partitions_def=ANNEES,
    description="Contrôles des indicateurs, rapport national annuel d'une année, puis l'index des publications.",
)

publication_assets = [dossiers_copil_departementaux, rapport_national_annuel, index_publications]


defs = dg.Definitions(assets=publication_assets, jobs=[dossiers_copil, rapport_national])
