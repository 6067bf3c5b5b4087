-- How each summed or ratio indicator's year follows from its semesters: the rule of its numerator
-- and of its denominator (regles_annee), or none when the year adds up the sites that delivered
-- the whole year. A rate reads its year from the semesters only when both its measures do; when
-- one of them needs the whole year (exits over the mean of the pathways open on the first and
-- last days), both add up the sites that delivered it, the same above and below the line.
-- Key: indicateur
CREATE OR REPLACE TABLE regles_annee_indicateurs AS
SELECT
    c.id AS indicateur,
    CASE WHEN c.mesure_denominateur IS NULL OR d.regle IS NOT NULL THEN n.regle END
        AS regle_numerateur,
    CASE WHEN n.regle IS NOT NULL THEN d.regle END AS regle_denominateur
FROM catalogue_indicateurs AS c
LEFT JOIN regles_annee AS n ON n.mesure = c.mesure
LEFT JOIN regles_annee AS d ON d.mesure = c.mesure_denominateur
WHERE c.methode IN ('somme', 'rapport');
