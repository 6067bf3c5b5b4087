-- Exits by reason ('sorties_<motif_sortie code>'), releases by situation at release
-- ('liberations_<situation_sortie code>') and releases under a sentence adjustment by type of
-- adjustment ('amenagements_<type_amenagement code>'), one measure per code of the lists in
-- codes.yaml, zeros included: the measure names follow the code lists, never a list written here.
CREATE OR REPLACE VIEW mesures_par_code AS
WITH mesures AS (
    SELECT 'sorties_' || code AS mesure FROM ref_motif_sortie
    UNION ALL
    SELECT 'liberations_' || code FROM ref_situation_sortie
    UNION ALL
    SELECT 'amenagements_' || code FROM ref_type_amenagement
),
evenements AS (
    SELECT code_site, date_sortie, 'sorties_' || motif_sortie AS mesure
    FROM parcours
    WHERE date_sortie IS NOT NULL
    UNION ALL
    SELECT code_site, date_sortie, 'liberations_' || situation_sortie
    FROM parcours
    WHERE est_liberation
    UNION ALL
    SELECT code_site, date_sortie, 'amenagements_' || type_amenagement
    FROM parcours
    WHERE est_liberation AND type_amenagement IS NOT NULL
)
SELECT sp.code_site, sp.type_periode, sp.periode, m.mesure, CAST(count(e.mesure) AS DOUBLE) AS valeur
FROM sites_periodes AS sp
CROSS JOIN mesures AS m
LEFT JOIN evenements AS e
    ON e.code_site = sp.code_site
    AND e.mesure = m.mesure
    AND e.date_sortie BETWEEN sp.debut AND sp.fin
GROUP BY sp.code_site, sp.type_periode, sp.periode, m.mesure;
