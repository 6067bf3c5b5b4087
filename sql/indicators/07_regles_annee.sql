-- How a zone's year follows from its semesters, for the measures it does (the catalog's `stock`):
--   'somme'        — counts of people that are flows (events counted in the period they happen):
--                    a year's count is the sum of its semesters';
--   'dernier_jour' — stocks counted on the period's last day: a year's is its last semester's.
-- Each semester counts the sites that delivered it, so a site that delivered one semester of a
-- year counts in its zones' year for that semester: a year is then what its semesters say, and a
-- reader learns nothing from it that they do not. Other stocks (over the whole period, or people
-- counted once in a cohort) and what counts no people (ETP, contracted posts, sites) count the
-- sites that delivered the whole year (couverture).
-- Key: mesure
CREATE OR REPLACE TABLE regles_annee AS
WITH declarations AS (
    SELECT mesure, stock, dernier_jour, personnes FROM catalogue_indicateurs
    UNION ALL
    SELECT mesure_denominateur, NULL, NULL, personnes FROM catalogue_indicateurs WHERE methode = 'rapport'
    UNION ALL
    SELECT id, stock, dernier_jour, true FROM catalogue_mesures
),
mesures AS (
    SELECT mesure, bool_or(stock) AS stock, bool_or(dernier_jour) AS dernier_jour, bool_and(personnes) AS personnes
    FROM declarations
    WHERE mesure IS NOT NULL
    GROUP BY mesure
)
SELECT mesure, CASE WHEN dernier_jour THEN 'dernier_jour' ELSE 'somme' END AS regle
FROM mesures
WHERE personnes AND (dernier_jour OR NOT stock);
