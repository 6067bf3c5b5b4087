-- Every measure at every grain, as the sum of its covered sites' measures (zones_sites,
-- couverture): a department's figures are sums over its sites that delivered the export the
-- measure comes from, the nation's over all such sites. A rate may divide measures of two exports
-- (staff ETP per contracted post): its numerator and denominator must then add up the same sites,
-- so each measure is also summed over the sites that cover another export besides its own
-- (`couverture`: that export; the measure's own sum is the row where it equals `source`).
-- A year of a flow or of a last-day stock is read from its semesters (regles_annee): their sum,
-- or its last one (`depuis_semestres`); a site's own year still needs all its semesters
-- (indicateurs_calcules). Its sum over the sites that delivered the whole year is kept as well:
-- a rate that divides it by a measure that needs the whole year (exits over the mean of the
-- pathways open on the first and last days) adds up the same sites above and below the line.
-- Sums are exact (somme_exacte, sql/schema/00_sommes.sql): the same in every run.
CREATE OR REPLACE TABLE mesures_zones AS
WITH sommes AS (
    SELECT
        zs.maille, zs.code_zone, m.type_periode, m.periode, m.mesure, m.source, k.source AS couverture,
        somme_exacte(m.valeur) AS valeur
    FROM mesures_sites AS m
    JOIN couverture AS c USING (code_site, type_periode, periode, source)
    JOIN couverture AS k USING (code_site, type_periode, periode)
    JOIN zones_sites AS zs ON zs.code_site = m.code_site
    WHERE c.couvert AND k.couvert
    GROUP BY ALL
)
SELECT *, false AS depuis_semestres
FROM sommes
UNION ALL
SELECT
    s.maille, s.code_zone, a.type_periode, a.periode, s.mesure, s.source, s.couverture,
    somme_exacte(CASE WHEN compte_dans_annee(r.regle, p.fin, a.fin) THEN s.valeur END) AS valeur,
    true AS depuis_semestres
FROM sommes AS s
JOIN regles_annee AS r USING (mesure)
JOIN periodes AS p ON p.type_periode = s.type_periode AND p.periode = s.periode
JOIN periodes AS a ON a.type_periode = 'annee' AND a.annee = p.annee
WHERE s.type_periode = 'semestre'
GROUP BY ALL
HAVING valeur IS NOT NULL;
