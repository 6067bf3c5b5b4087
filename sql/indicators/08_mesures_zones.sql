-- Every measure at every grain, as the sum of its covered sites' measures (zones_sites,
-- couverture): a department's figures are sums over its sites that delivered the export the
-- measure comes from, the nation's over all such sites. A rate may divide measures of two exports
-- (staff ETP per contracted post): its numerator and denominator must then add up the same sites,
-- so each measure is also summed over the sites that cover another export besides its own
-- (`couverture`: that export; the measure's own sum is the row where it equals `source`).
-- Sums are exact (somme_exacte, sql/schema/00_sommes.sql): the same in every run.
CREATE OR REPLACE TABLE mesures_zones AS
SELECT
    zs.maille, zs.code_zone, m.type_periode, m.periode, m.mesure, m.source, k.source AS couverture,
    somme_exacte(m.valeur) AS valeur
FROM mesures_sites AS m
JOIN couverture AS c USING (code_site, type_periode, periode, source)
JOIN couverture AS k USING (code_site, type_periode, periode)
JOIN zones_sites AS zs ON zs.code_site = m.code_site
WHERE c.couvert AND k.couvert
GROUP BY ALL;
