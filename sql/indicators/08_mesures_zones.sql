-- Every measure at every grain, as the sum of its covered sites' measures (zones_sites,
-- couverture): a department's figures are sums over its sites that delivered the export the
-- measure comes from, the nation's over all such sites.
CREATE OR REPLACE TABLE mesures_zones AS
SELECT zs.maille, zs.code_zone, m.type_periode, m.periode, m.mesure, m.source, sum(m.valeur) AS valeur
FROM mesures_sites AS m
JOIN couverture AS c USING (code_site, type_periode, periode, source)
JOIN zones_sites AS zs ON zs.code_site = m.code_site
WHERE c.couvert
GROUP BY ALL;
