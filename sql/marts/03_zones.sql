-- Every zone indicators are published for, with its French label and parent codes: each site;
-- each department, region (DREETS) and DISP holding at least one site; each type of SIAE (ACI,
-- EI) and type of prison (MA, CD, CP…) of at least one site, labelled from codes.yaml; and the
-- nation ('FR'). Departments, regions and DISPs nest; the two types cut across them. A region's
-- zone code is its INSEE code after 'R' (R84), since outputs may key zones by code alone and the
-- INSEE codes of regions and departments overlap (84 is also Vaucluse); code_region keeps the INSEE
-- code. The sites referential is checked at load (known department and codes), so the joins lose
-- no site.
-- Key: maille, code_zone
CREATE OR REPLACE TABLE zones AS
WITH sites AS (
    SELECT
        s.code_site,
        s.etablissement || ' (' || s.siae_nom || ')' AS libelle_site,
        s.departement AS code_departement,
        d.nom_departement,
        d.code_region,
        r.nom_region,
        r.code_disp,
        x.nom_disp,
        s.siae_type,
        s.type_etablissement
    FROM ref_sites AS s
    JOIN ref_departements AS d ON d.code_departement = s.departement
    JOIN ref_regions AS r ON r.code_region = d.code_region
    JOIN ref_disp AS x ON x.code_disp = r.code_disp
)
SELECT 'site' AS maille, code_site AS code_zone, libelle_site AS libelle_zone,
    code_departement, code_region, code_disp
FROM sites
UNION ALL
SELECT DISTINCT 'departement', code_departement, nom_departement, code_departement, code_region, code_disp
FROM sites
UNION ALL
SELECT DISTINCT 'region', 'R' || code_region, nom_region, NULL, code_region, code_disp
FROM sites
UNION ALL
SELECT DISTINCT 'disp', code_disp, nom_disp, NULL, NULL, code_disp
FROM sites
UNION ALL
SELECT DISTINCT 'type_siae', t.code, t.libelle, NULL, NULL, NULL
FROM sites AS s
JOIN ref_siae_type AS t ON t.code = s.siae_type
UNION ALL
SELECT DISTINCT 'type_etablissement', t.code, t.libelle, NULL, NULL, NULL
FROM sites AS s
JOIN ref_type_etablissement AS t ON t.code = s.type_etablissement
UNION ALL
SELECT 'nation', 'FR', 'France', NULL, NULL, NULL;
