-- Site → every zone containing it (itself, its department, its DISP, the nation). Aggregating a
-- site-level table through this mapping gives every grain from sums of site numerators and
-- denominators, and medians from the person-level rows of all the zone's sites.
CREATE OR REPLACE TABLE zones_sites AS
SELECT z.maille, z.code_zone, s.code_zone AS code_site
FROM zones AS s
JOIN zones AS z
    ON (z.maille = 'site' AND z.code_zone = s.code_zone)
    OR (z.maille = 'departement' AND z.code_zone = s.code_departement)
    OR (z.maille = 'disp' AND z.code_zone = s.code_disp)
    OR z.maille = 'nation'
WHERE s.maille = 'site';
