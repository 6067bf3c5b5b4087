-- Zones offered by the filters, with their parents: the nation, each DISP, department and site
-- of the referential (a site that never delivered still shows in the deliveries view).
-- Departments are labelled with their code first, as analysts name them.
SELECT
    z.maille,
    z.code_zone,
    CASE WHEN z.maille = 'departement' THEN z.code_zone || ' – ' || z.libelle_zone ELSE z.libelle_zone END
        AS libelle,
    z.code_departement,
    z.code_disp
FROM zones AS z
ORDER BY
    list_position(['nation', 'disp', 'departement', 'site'], z.maille),
    CASE WHEN z.maille = 'departement' THEN z.code_zone ELSE libelle END;
