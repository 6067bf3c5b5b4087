-- One row per pathway ended by a release, with the person's first écrou strictly after the
-- release (national extracts). Which windows count (6, 12 months) and whether a cohort's window
-- has elapsed are decided in the indicators, from the catalog.
-- Key: code_site, identifiant, date_entree
CREATE OR REPLACE TABLE liberations AS
SELECT
    p.code_site,
    p.identifiant,
    p.date_entree,
    p.date_sortie,
    p.motif_sortie,
    p.type_amenagement,
    p.situation_sortie,
    p.groupe_situation_sortie,
    p.sortie_emploi_formation,
    p.sortie_dynamique,
    p.accompagnement_post_sortie,
    p.mesure_suivi,
    r.date_ecrou AS date_reincarceration
FROM parcours AS p
ASOF LEFT JOIN reincarcerations AS r
    ON r.identifiant = p.identifiant
    AND p.date_sortie < r.date_ecrou
WHERE p.est_liberation;
