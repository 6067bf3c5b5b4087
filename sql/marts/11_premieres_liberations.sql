-- Re-incarceration cohorts: for each site and period, the people the site released in the period,
-- each at their first release of each semester (a person released twice in a semester counts
-- once, by the first release; a year's cohort is its semesters', so that it is their sum), with
-- that release's pathway, kind (sentence adjustment, situation at release) and the person's first
-- écrou after it. People are counted per site: someone released by two sites in one period is in
-- both cohorts, so that zone figures are sums of site figures.
-- Key: code_site, periode, identifiant, date_sortie
CREATE OR REPLACE TABLE premieres_liberations AS
SELECT
    sp.code_site,
    sp.type_periode,
    sp.periode,
    sp.fin AS fin_periode,
    l.identifiant,
    l.date_entree,
    l.date_sortie,
    l.type_amenagement,
    l.sortie_emploi_formation,
    l.date_reincarceration
FROM sites_periodes AS sp
JOIN liberations AS l
    ON l.code_site = sp.code_site
    AND l.date_sortie BETWEEN sp.debut AND sp.fin
QUALIFY row_number() OVER (
    PARTITION BY sp.code_site, sp.type_periode, sp.periode, semestre_contenant(l.date_sortie), l.identifiant
    ORDER BY l.date_sortie, l.date_entree
) = 1;
