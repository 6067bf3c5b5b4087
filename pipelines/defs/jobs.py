"""Jobs: the whole chain for a set of sites, and the same without the site deliveries."""

import dagster as dg

from pipelines.defs.checks import contract_checks
from pipelines.defs.ingestion import livraisons_sites

# Everything but the semester-partitioned publications (they run in their own jobs). Contract
# checks are logged by the ingest itself, for all sites of the run at once (see defs/checks.py).
CHAIN_GROUPS = ("ingestion", "entrepot", "qualite", "diffusion")

chaine_complete = dg.define_asset_job(
    "chaine_complete",
    selection=dg.AssetSelection.groups(*CHAIN_GROUPS) - dg.AssetSelection.checks(*contract_checks),
    description="Ingestion des livraisons des sites choisis (partitions), entrepôt, indicateurs et publications nationales.",
)

chaine_nationale = dg.define_asset_job(
    "chaine_nationale",
    selection=dg.AssetSelection.groups(*CHAIN_GROUPS)
    - dg.AssetSelection.assets(livraisons_sites)
    - dg.AssetSelection.checks(*contract_checks),
    description="Extrait national des réincarcérations, puis tout ce qui en dépend.",
)
