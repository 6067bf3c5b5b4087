-- Files set aside: refused, or a correction held until the steward confirms it, each with its
-- reason and what to do. `en_attente`: nothing of its (site, type, period) was accepted since, so
-- the site still has to act. Files whose name reads as no known site are listed too (site_connu =
-- false): they have no site page, only the national one.
CREATE OR REPLACE TABLE envois_ecartes AS
WITH acceptes AS (
    SELECT code_site, type_export, periode, max(date_reception) AS derniere_acceptee
    FROM livraisons
    WHERE statut IN ('acceptee', 'remplacee') AND code_site IS NOT NULL
    GROUP BY ALL
)
SELECT
    l.fichier,
    l.code_site,
    s.code_site IS NOT NULL AS site_connu,
    l.type_export,
    l.periode,
    l.date_reception,
    l.statut,
    l.regle_rejet,
    l.motif_rejet,
    l.correction_rejet,
    l.ligne_rejet,
    l.colonne_rejet,
    l.lignes_recues,
    l.run_id,
    coalesce(a.derniere_acceptee < l.date_reception, true) AS en_attente
FROM livraisons AS l
LEFT JOIN ref_sites AS s ON s.code_site = l.code_site
LEFT JOIN acceptes AS a
    ON a.code_site = l.code_site AND a.type_export = l.type_export AND a.periode = l.periode
WHERE l.statut IN ('rejetee', 'a_confirmer')
ORDER BY en_attente DESC, l.date_reception DESC, l.fichier;
