-- Deliveries by site and semester: the status of each export type and the worst of the three
-- (gravity from the code list). Codes only: the numbers of files and rows stay in the stewards'
-- quality reports, where they point at what to fix.
SELECT
    s.code_site,
    s.periode,
    arg_max(s.statut, r.gravite) AS statut,
    any_value(s.statut) FILTER (WHERE s.type_export = 'parcours') AS parcours,
    any_value(s.statut) FILTER (WHERE s.type_export = 'personnel') AS personnel,
    any_value(s.statut) FILTER (WHERE s.type_export = 'suivi') AS suivi,
    bool_or(s.lignes_quarantaine > 0 OR s.fichiers_rejetes > 0) AS anomalies
FROM statut_livraisons AS s
JOIN ref_statut_livraison AS r ON r.code = s.statut
GROUP BY s.code_site, s.periode
ORDER BY s.code_site, s.periode;
