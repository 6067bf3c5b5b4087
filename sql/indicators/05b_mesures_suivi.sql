-- Situation after release, from the follow-up observations (observations_suivi). The cohort of a
-- site and period is its releases of the period under a judicial follow-up measure
-- ('liberations_mesure_suivi'): the only people the law lets a site follow. For each horizon H in
-- months — the follow-up indicators of the catalog (source suivi), whose window (fenetre_mois) ends
-- one month after their horizon — the situation at H is that of the observation closest to H months
-- after the release among those made between H − 1 and H + 1 months after it (the later one on a
-- tie); with none there, a person observed re-incarcerated before that window is known to be
-- re-incarcerated at H. 'suivis_observes_<H>m': releases of the cohort with a situation known at
-- H; 'suivis_emploi_formation_<H>m': those in a job or a training (codes.yaml) at H.
CREATE OR REPLACE VIEW mesures_suivi AS
WITH horizons AS (
    SELECT DISTINCT fenetre_mois - 1 AS mois
    FROM catalogue_indicateurs
    WHERE fenetre_mois IS NOT NULL AND source = 'suivi'
),
bornes AS (
    SELECT
        o.*,
        h.mois,
        CAST(o.date_sortie + to_months(h.mois - 1) AS DATE) AS debut_fenetre,
        CAST(o.date_sortie + to_months(h.mois) AS DATE) AS date_horizon,
        CAST(o.date_sortie + to_months(h.mois + 1) AS DATE) AS fin_fenetre
    FROM observations_suivi AS o
    CROSS JOIN horizons AS h
),
situations AS (
    SELECT b.code_site, b.identifiant, b.date_sortie, b.mois, coalesce(r.emploi_formation, false) AS emploi_formation
    FROM bornes AS b
    LEFT JOIN ref_situation_suivi AS r ON r.code = b.situation
    WHERE b.date_observation BETWEEN b.debut_fenetre AND b.fin_fenetre
    QUALIFY row_number() OVER (
        PARTITION BY b.code_site, b.identifiant, b.date_sortie, b.mois
        ORDER BY abs(date_diff('day', b.date_horizon, b.date_observation)), b.date_observation DESC
    ) = 1
),
reincarcerations AS (
    SELECT DISTINCT code_site, identifiant, date_sortie, mois
    FROM bornes
    WHERE date_reincarceration < debut_fenetre
),
cohortes AS (
    SELECT
        sp.code_site,
        sp.type_periode,
        sp.periode,
        h.mois,
        count(l.identifiant) AS liberations_mesure_suivi,
        count(l.identifiant) FILTER (WHERE s.identifiant IS NOT NULL OR x.identifiant IS NOT NULL)
            AS suivis_observes,
        count(l.identifiant) FILTER (WHERE s.emploi_formation) AS suivis_emploi_formation
    FROM sites_periodes AS sp
    CROSS JOIN horizons AS h
    LEFT JOIN liberations AS l
        ON l.code_site = sp.code_site
        AND l.date_sortie BETWEEN sp.debut AND sp.fin
        AND l.mesure_suivi
    LEFT JOIN situations AS s
        ON s.code_site = l.code_site
        AND s.identifiant = l.identifiant
        AND s.date_sortie = l.date_sortie
        AND s.mois = h.mois
    LEFT JOIN reincarcerations AS x
        ON x.code_site = l.code_site
        AND x.identifiant = l.identifiant
        AND x.date_sortie = l.date_sortie
        AND x.mois = h.mois
    GROUP BY sp.code_site, sp.type_periode, sp.periode, h.mois
)
SELECT code_site, type_periode, periode, 'suivis_observes_' || mois || 'm' AS mesure,
    CAST(suivis_observes AS DOUBLE) AS valeur
FROM cohortes
UNION ALL
SELECT code_site, type_periode, periode, 'suivis_emploi_formation_' || mois || 'm',
    CAST(suivis_emploi_formation AS DOUBLE)
FROM cohortes
UNION ALL
SELECT DISTINCT code_site, type_periode, periode, 'liberations_mesure_suivi',
    CAST(liberations_mesure_suivi AS DOUBLE)
FROM cohortes;
