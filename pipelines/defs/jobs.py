"""Jobs: the chain for a set of sites (or the national extract alone), and the national diffusion
that follows the packs.

The dashboard, the analysts' copy and the register run after the departmental packs, not in the
chain: after a re-submission the department's pack is the first thing refreshed.
"""

import dagster as dg

from pipelines.defs.checks import contract_checks
from pipelines.defs.ingestion import livraisons_sites
from pipelines.defs.publication import BEFORE_PUBLISHING, index_publications

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


defs = dg.Definitions(jobs=[chaine_complete, chaine_nationale, diffusion_nationale])
