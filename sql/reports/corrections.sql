-- When the data behind a figure last changed: the latest ingestion of a site delivery in force, by
-- zone (the site, its department, its DISP, the nation) and period (the semester, and its year).
-- A figure published before that date may be a late correction; one published after it is not.
WITH livraisons_site AS (
    SELECT l.periode, l.date_ingestion, z.code_zone AS code_site, z.code_departement, z.code_disp
    FROM livraisons AS l
    JOIN zones AS z ON z.maille = 'site' AND z.code_zone = l.code_site
    WHERE l.active AND l.type_export <> 'reincarcerations'
),
par_periode AS (
    SELECT periode, date_ingestion, code_site, code_departement, code_disp FROM livraisons_site
    UNION ALL
    SELECT left(periode, 4), date_ingestion, code_site, code_departement, code_disp FROM livraisons_site
)
SELECT 'site' AS maille, code_site AS code_zone, periode, max(date_ingestion) AS date_correction FROM par_periode GROUP BY ALL
UNION ALL
SELECT 'departement', code_departement, periode, max(date_ingestion) FROM par_periode GROUP BY ALL
UNION ALL
SELECT 'disp', code_disp, periode, max(date_ingestion) FROM par_periode GROUP BY ALL
UNION ALL
SELECT 'nation', 'FR', periode, max(date_ingestion) FROM par_periode GROUP BY ALL;
