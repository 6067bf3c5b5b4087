-- Activity. etp_realises = hours worked in the period ÷ (annual full-time hours, a setting held in
-- parametres_calcul, × share of the year the period covers); a period's hours are the hours of its
-- semesters' files. etp_conventionnes, the denominator of the occupancy rate, is the site's
-- contracted ETP prorated by its days open in the period (sites_periodes), counting only the
-- semesters whose parcours file is in force: a missing delivery has no hours, and counting its
-- posts would read as empty posts rather than as missing data (the quality annex shows it).
CREATE OR REPLACE VIEW mesures_activite AS
WITH semestres_livres AS (
    SELECT sp.code_site, sp.type_periode, sp.periode, sp.jours, s.periode AS semestre,
        date_diff('day', greatest(s.debut, r.date_ouverture),
            least(s.fin, coalesce(r.date_fermeture, s.fin))) + 1 AS jours_ouverts
    FROM sites_periodes AS sp
    JOIN ref_sites AS r USING (code_site)
    JOIN periodes AS s ON s.type_periode = 'semestre' AND s.debut BETWEEN sp.debut AND sp.fin
    JOIN stg_livraisons AS l
        ON l.code_site = sp.code_site AND l.periode = s.periode AND l.type_export = 'parcours'
    WHERE r.date_ouverture <= s.fin AND (r.date_fermeture IS NULL OR r.date_fermeture >= s.debut)
),
heures AS (
    SELECT sp.code_site, sp.type_periode, sp.periode, sum(h.heures_travaillees) AS heures
    FROM sites_periodes AS sp
    JOIN periodes AS s ON s.type_periode = 'semestre' AND s.debut BETWEEN sp.debut AND sp.fin
    JOIN parcours_periode AS h ON h.code_site = sp.code_site AND h.periode = s.periode
    GROUP BY sp.code_site, sp.type_periode, sp.periode
),
jours_livres AS (
    SELECT code_site, type_periode, periode, sum(jours_ouverts) / any_value(jours) AS part_livree
    FROM semestres_livres
    GROUP BY code_site, type_periode, periode
)
UNPIVOT (
    SELECT
        sp.code_site,
        sp.type_periode,
        sp.periode,
        coalesce(h.heures, 0) / (c.heures_annuelles_temps_plein * sp.part_annee) AS etp_realises,
        r.etp_conventionnes * coalesce(j.part_livree, 0) AS etp_conventionnes
    FROM sites_periodes AS sp
    JOIN ref_sites AS r USING (code_site)
    LEFT JOIN heures AS h USING (code_site, type_periode, periode)
    LEFT JOIN jours_livres AS j USING (code_site, type_periode, periode)
    CROSS JOIN parametres_calcul AS c
) ON etp_realises, etp_conventionnes INTO NAME mesure VALUE valeur;
