-- Re-incarceration cohorts. The cohort of a site and period is the people released by the site
-- in the period ('personnes_liberees'), each taken at their first release of the period; one is
-- re-incarcerated within N months when their first écrou after that release is at most N months
-- later ('reincarcerees_<N>m', one measure per window used in the catalog). People are counted per
-- site: someone released by two sites in one period counts in each, so that zone figures are sums
-- of site figures. Whether the window has elapsed (censoring) is decided in `indicateurs`.
CREATE OR REPLACE VIEW mesures_reincarceration AS
WITH premieres_liberations AS (
    SELECT sp.code_site, sp.type_periode, sp.periode, l.identifiant, l.date_sortie, l.date_reincarceration
    FROM sites_periodes AS sp
    JOIN liberations AS l
        ON l.code_site = sp.code_site
        AND l.date_sortie BETWEEN sp.debut AND sp.fin
    QUALIFY row_number() OVER (
        PARTITION BY sp.code_site, sp.type_periode, sp.periode, l.identifiant ORDER BY l.date_sortie
    ) = 1
),
fenetres AS (
    SELECT DISTINCT fenetre_mois FROM catalogue_indicateurs WHERE fenetre_mois IS NOT NULL
),
cohortes AS (
    SELECT
        sp.code_site,
        sp.type_periode,
        sp.periode,
        f.fenetre_mois,
        count(l.identifiant) AS personnes_liberees,
        count(l.identifiant) FILTER (
            WHERE l.date_reincarceration <= CAST(l.date_sortie + to_months(f.fenetre_mois) AS DATE)
        ) AS reincarcerees
    FROM sites_periodes AS sp
    CROSS JOIN fenetres AS f
    LEFT JOIN premieres_liberations AS l
        ON l.code_site = sp.code_site
        AND l.type_periode = sp.type_periode
        AND l.periode = sp.periode
    GROUP BY sp.code_site, sp.type_periode, sp.periode, f.fenetre_mois
)
SELECT code_site, type_periode, periode, 'reincarcerees_' || fenetre_mois || 'm' AS mesure,
    CAST(reincarcerees AS DOUBLE) AS valeur
FROM cohortes
UNION ALL
SELECT DISTINCT code_site, type_periode, periode, 'personnes_liberees', CAST(personnes_liberees AS DOUBLE)
FROM cohortes;
