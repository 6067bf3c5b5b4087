-- Re-incarceration cohorts (premieres_liberations: the people a site released in a period, each at
-- their first release of each semester). 'personnes_liberees<sous-cohorte>' counts a cohort and
-- 'reincarcerees_<N>m<sous-cohorte>' those of it whose first écrou after that release is at most N
-- months later, for every window N the catalog uses with the national extract as source. The
-- sub-cohorts split the cohort by that first release: with a sentence adjustment or not (a type of
-- adjustment is given exactly for the releases under one, a contract rule), into a job or training
-- or not (unknown situations included in "not"); '' is the whole cohort. Whether the window has
-- elapsed (censoring) is decided in `indicateurs`.
CREATE OR REPLACE VIEW mesures_reincarceration AS
WITH sous_cohortes (suffixe, amenagement, emploi_formation) AS (
    VALUES
        ('', NULL, NULL),
        ('_amenagement', true, NULL),
        ('_sans_amenagement', false, NULL),
        ('_emploi_formation', NULL, true),
        ('_sans_emploi_formation', NULL, false)
),
fenetres AS (
    SELECT DISTINCT fenetre_mois
    FROM catalogue_indicateurs
    WHERE fenetre_mois IS NOT NULL AND source = 'reincarcerations'
),
cohortes AS (
    SELECT
        sp.code_site,
        sp.type_periode,
        sp.periode,
        c.suffixe,
        f.fenetre_mois,
        count(l.identifiant) AS personnes_liberees,
        count(l.identifiant) FILTER (
            WHERE l.date_reincarceration <= CAST(l.date_sortie + to_months(f.fenetre_mois) AS DATE)
        ) AS reincarcerees
    FROM sites_periodes AS sp
    CROSS JOIN sous_cohortes AS c
    CROSS JOIN fenetres AS f
    LEFT JOIN premieres_liberations AS l
        ON l.code_site = sp.code_site
        AND l.type_periode = sp.type_periode
        AND l.periode = sp.periode
        AND (c.amenagement IS NULL OR c.amenagement = (l.type_amenagement IS NOT NULL))
        AND (c.emploi_formation IS NULL OR c.emploi_formation = l.sortie_emploi_formation)
    GROUP BY sp.code_site, sp.type_periode, sp.periode, c.suffixe, f.fenetre_mois
)
SELECT code_site, type_periode, periode, 'reincarcerees_' || fenetre_mois || 'm' || suffixe AS mesure,
    CAST(reincarcerees AS DOUBLE) AS valeur
FROM cohortes
UNION ALL
SELECT DISTINCT code_site, type_periode, periode, 'personnes_liberees' || suffixe,
    CAST(personnes_liberees AS DOUBLE)
FROM cohortes;
