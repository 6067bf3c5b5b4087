-- Site → every zone containing it (itself, its department, region and DISP, its type of SIAE and
-- of prison, the nation). Aggregating a site-level table through this mapping gives every grain
-- from sums of site numerators and denominators, and medians from the person-level rows of all
-- the zone's sites.
-- Key: maille, code_zone, code_site
CREATE OR REPLACE TABLE zones_sites AS
SELECT z.maille, z.code_zone, s.code_site
FROM ref_sites AS s
JOIN ref_departements AS d ON d.code_departement = s.departement
JOIN ref_regions AS r ON r.code_region = d.code_region
JOIN zones AS z
    ON (z.maille = 'site' AND z.code_zone = s.code_site)
    OR (z.maille = 'departement' AND z.code_zone = s.departement)
    OR (z.maille = 'region' AND z.code_zone = 'R' || d.code_region)
    OR (z.maille = 'disp' AND z.code_zone = r.code_disp)
    OR (z.maille = 'type_siae' AND z.code_zone = s.siae_type)
    OR (z.maille = 'type_etablissement' AND z.code_zone = s.type_etablissement)
    OR z.maille = 'nation';
