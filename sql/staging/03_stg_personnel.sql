-- Staff rows of the personnel deliveries in force.
CREATE OR REPLACE VIEW stg_personnel AS
SELECT r.*
FROM raw_personnel AS r
JOIN stg_livraisons AS l
    ON l.type_export = 'personnel'
    AND l.sha256 = r.sha256_fichier
    AND l.code_site = r.code_site
    AND l.periode = r.periode;
