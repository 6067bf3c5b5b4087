"""Jobs and the chain's order: the chain for a set of sites (or the national extract alone), the
publications, and the national diffusion that follows them.

The order lives here (NEXT_JOB) and nowhere else. The sensors request the next job each time one
succeeds (pipelines/defs/sensors.py); `iae run` runs the same jobs one after the other
(pipelines/runner.py), adding the national report of the latest year, which the calendar
otherwise publishes. The dashboard, the analysts' copy and the register run after the
departmental packs, not in the chain: after a re-submission the department's pack is the first
thing refreshed.
"""

import dagster as dg
from dagster._core.definitions.unresolved_asset_job_definition import (
    UnresolvedAssetJobDefinition,
)

from pipelines.defs.checks import contract_checks
from pipelines.defs.ingestion import livraisons_sites
from pipelines.defs.publication import (
    BEFORE_PUBLISHING,
    dossiers_copil,
    index_publications,
    rapport_national,
)

# Everything up to the protected figures and the stewards' pages; the semester-partitioned publications
# and the national diffusion run in their own jobs. Contract checks are logged by the ingest
# itself, for all sites of the run at once (see defs/checks.py).
CHAIN_GROUPS = ("ingestion", "entrepot", "secret", "qualite")

chaine_complete = dg.define_asset_job(
    "chaine_complete",
    selection=dg.AssetSelection.groups(*CHAIN_GROUPS) - dg.AssetSelection.checks(*contract_checks),
    description="Ingestion des livraisons des sites choisis (partitions), entrepôt, indicateurs et rapports de qualité.",
)

chaine_nationale = dg.define_asset_job(
    "chaine_nationale",
    selection=dg.AssetSelection.groups(*CHAIN_GROUPS)
    - dg.AssetSelection.assets(livraisons_sites)
    - dg.AssetSelection.checks(*contract_checks),
    description="Extrait national des réincarcérations, puis tout ce qui en dépend.",
)

diffusion_nationale = dg.define_asset_job(
    "diffusion_nationale",
    selection=dg.AssetSelection.groups("diffusion")
    | dg.AssetSelection.assets(index_publications)
    | BEFORE_PUBLISHING,
    description="Contrôles des indicateurs, tableau de bord national, copie des analystes, registre des traitements et index des publications.",
)


# The jobs that call for another one (the keys of NEXT_JOB), by name.
JOBS = {
    job.name: job for job in (chaine_complete, chaine_nationale, dossiers_copil, rapport_national)
}

# chain (sites or national extract) → packs of the latest semester → national diffusion;
# national report of a year → national diffusion.
NEXT_JOB = {
    chaine_complete.name: dossiers_copil.name,
    chaine_nationale.name: dossiers_copil.name,
    dossiers_copil.name: diffusion_nationale.name,
    rapport_national.name: diffusion_nationale.name,
}


def jobs_before(name: str) -> list[UnresolvedAssetJobDefinition]:
    """The jobs whose success calls for the job `name`."""
    return [JOBS[before] for before, following in NEXT_JOB.items() if following == name]


defs = dg.Definitions(jobs=[chaine_complete, chaine_nationale, diffusion_nationale])
