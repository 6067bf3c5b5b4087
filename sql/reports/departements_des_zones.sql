-- The department of each site and department, to name the departmental packs an audit finding
-- concerns (pipelines/defs/confidentiality.py).
SELECT maille, code_zone, code_departement
FROM zones
WHERE maille IN ('site', 'departement');
