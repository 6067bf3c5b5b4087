-- Every zone indicators are published for, with its French label and parent codes: each site,
-- each department and DISP holding at least one site, and the nation ('FR'). The sites
-- referential is checked at load (known department), so the joins lose no site.
CREATE OR REPLACE TABLE zones AS
WITH sites AS (
    SELECT
        s.code_site,
        s.etablissement || ' (' || s.siae_nom || ')' AS libelle_site,
        s.departement AS code_departement,
        d.nom_departement,
        d.code_region,
        r.code_disp,
        x.nom_disp
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
SELECT DISTINCT 'disp', code_disp, nom_disp, NULL, NULL, code_disp
FROM sites
UNION ALL
SELECT 'nation', 'FR', 'France', NULL, NULL, NULL;
