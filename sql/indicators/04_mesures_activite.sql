-- Activity. etp_realises = hours worked in the period ÷ (annual full-time hours, a setting held in
-- parametres_calcul, × share of the year the period covers); a period's hours are the hours of its
-- semesters' files. etp_conventionnes, the denominator of the occupancy rate, is the site's
-- contracted ETP prorated by its days open in the period (sites_periodes). Both come from the
-- parcours export: a period whose file is missing is not measurable (couverture), not empty posts.
CREATE OR REPLACE VIEW mesures_activite AS
WITH heures AS (
    SELECT sp.code_site, sp.type_periode, sp.periode, somme_exacte(h.heures_travaillees) AS heures
    FROM sites_periodes AS sp
    JOIN periodes AS s ON s.type_periode = 'semestre' AND s.debut BETWEEN sp.debut AND sp.fin
    JOIN parcours_periode AS h ON h.code_site = sp.code_site AND h.periode = s.periode
    GROUP BY sp.code_site, sp.type_periode, sp.periode
)
UNPIVOT (
    SELECT
        sp.code_site,
        sp.type_periode,
        sp.periode,
        coalesce(h.heures, 0) / (c.heures_annuelles_temps_plein * sp.part_annee) AS etp_realises,
        sp.etp_conventionnes
    FROM sites_periodes AS sp
    LEFT JOIN heures AS h USING (code_site, type_periode, periode)
    CROSS JOIN parametres_calcul AS c
) ON etp_realises, etp_conventionnes INTO NAME mesure VALUE valeur;
