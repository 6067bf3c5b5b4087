"""Which catalog indicators each view of the dashboard shows.

The main indicators are embedded at every grain (sites included); the others only for
departments, DISPs and the nation, where the comparison reads them: at ~70 sites × ~30 periods,
embedding every indicator at site grain would multiply the page size for no view.
"""

from __future__ import annotations

from pipelines.catalog import load_catalog

TILES = (
    "entrees",
    "sorties",
    "file_active",
    "taux_occupation",
    "taux_sortie_emploi_formation",
    "taux_retour_detention_ordinaire",
    "taux_amenagement",
    "taux_reincarceration_12m",
)

TRENDS = (
    "entrees",
    "sorties",
    "file_active",
    "taux_occupation",
    "taux_sortie_emploi_formation",
    "taux_sorties_dynamiques",
    "taux_retour_detention_ordinaire",
    "taux_reincarceration_6m",
    "taux_reincarceration_12m",
)

# Indicators published site by site (the catalog's `par_site`) only: a column no site can fill
# would read « – » on every row.
SITE_TABLE = (
    "entrees",
    "sorties",
    "file_active",
    "taux_occupation",
    "taux_sortie_emploi_formation",
)

# Every catalog indicator, in the catalog's order (themes), for departments, DISPs and the nation.
COMPARISON = tuple(i.id for i in load_catalog().indicators)

DEFAULT_COMPARISON = "taux_sortie_emploi_formation"

# Breakdowns of the chosen zone and period, one bar panel each: (group, title, code list, prefix
# of the indicators: `sorties_<code>`, `liberations_<code>`).
BREAKDOWNS = (
    ("motifs", "Sorties par motif", "motif_sortie", "sorties_"),
    ("situations", "Libérations par situation à la sortie", "situation_sortie", "liberations_"),
)

MAIN = tuple(dict.fromkeys((*TILES, *TRENDS, *SITE_TABLE)))

# The published count shown beside a rate or median as the number of people behind it: its
# denominator when that is itself a published count (exits, releases), otherwise the count of the
# population it is computed on (entries for profile shares, releases for re-incarceration
# cohorts), named on the page. A raw denominator is never shown: it may be a hidden count.
BASES = {
    "taux_retour_detention_ordinaire": "sorties",
    "taux_rotation_operateurs": "file_active",
    "taux_amenagement": "liberations",
    "taux_sortie_emploi_formation": "liberations",
    "taux_emploi_durable": "liberations",
    "taux_sorties_dynamiques": "liberations",
    "taux_situation_inconnue": "liberations",
    "taux_accompagnement_post_sortie": "liberations",
    "taux_reincarceration_6m": "liberations",
    "taux_reincarceration_12m": "liberations",
    "delai_orientation_entree_median": "entrees",
    "duree_parcours_mediane": "sorties",
    "part_femmes": "entrees",
    "part_moins_26_ans": "entrees",
    "part_sans_diplome": "entrees",
    "part_quantum_hors_4_36": "entrees",
    "part_prevenus": "entrees",
}
