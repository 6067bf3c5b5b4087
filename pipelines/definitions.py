"""The Dagster code location (`dagster dev -m pipelines.definitions`)."""

from __future__ import annotations

import dagster as dg

from pipelines.defs import (
    confidentiality,
    dashboard,
    diffusion,
    ingestion,
    publication,
    quality,
    warehouse,
)
from pipelines.defs.checks import contract_checks
from pipelines.defs.confidentiality import confidentiality_checks
from pipelines.defs.jobs import chaine_complete, chaine_nationale, diffusion_nationale
from pipelines.defs.publication import dossiers_copil, rapport_national
from pipelines.defs.resources import resources
from pipelines.defs.retention import purge_mensuelle, purge_schedule
from pipelines.defs.schedules import publication_schedules
from pipelines.defs.sensors import apres_publication, apres_renvoi, boite_de_depot
from pipelines.defs.warehouse import indicator_checks
from pipelines.settings import Settings


def build_definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=dg.load_assets_from_modules(
            [ingestion, warehouse, confidentiality, quality, dashboard, diffusion, publication]
        ),
        asset_checks=[*contract_checks, *indicator_checks, *confidentiality_checks],
        jobs=[
            chaine_complete,
            chaine_nationale,
            dossiers_copil,
            rapport_national,
            diffusion_nationale,
            purge_mensuelle,
        ],
        schedules=[purge_schedule, *publication_schedules(settings)],
        sensors=[boite_de_depot, apres_renvoi, apres_publication],
        resources=resources(settings),
        executor=dg.in_process_executor,
    )


# The code location `dagster dev` loads: the one place its settings are read.
defs = build_definitions(Settings.from_env())
