-- Every measure at every grain, as the sum of its sites' measures (zones_sites): a department's
-- figures are sums over its sites, the nation's over all sites.
CREATE OR REPLACE TABLE mesures_zones AS
SELECT zs.maille, zs.code_zone, m.type_periode, m.periode, m.mesure, sum(m.valeur) AS valeur
FROM mesures_sites AS m
JOIN zones_sites AS zs ON zs.code_site = m.code_site
GROUP BY zs.maille, zs.code_zone, m.type_periode, m.periode, m.mesure;
