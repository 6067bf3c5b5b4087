-- Coverage of every zone, period and source export: the sites open in the period and, among them,
-- those whose export covers it (couverture). Zone figures are sums over the covered sites; the
-- outputs state « 11 sites sur 12 ont livré » from these two counts.
CREATE OR REPLACE TABLE couverture_zones AS
SELECT
    zs.maille,
    zs.code_zone,
    c.type_periode,
    c.periode,
    c.source,
    count(*) AS sites_ouverts,
    count(*) FILTER (WHERE c.couvert) AS sites_couverts
FROM couverture AS c
JOIN zones_sites AS zs ON zs.code_site = c.code_site
GROUP BY ALL;
