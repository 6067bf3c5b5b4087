-- Follow-up observations of the suivi deliveries in force.
CREATE OR REPLACE VIEW stg_suivi AS
SELECT r.*
FROM raw_suivi AS r
JOIN stg_livraisons AS l
    ON l.type_export = 'suivi'
    AND l.sha256 = r.sha256_fichier
    AND l.code_site = r.code_site
    AND l.periode = r.periode;
