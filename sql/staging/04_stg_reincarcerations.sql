-- New incarcerations (écrous) of the national extracts in force (code_site = 'national').
CREATE OR REPLACE VIEW stg_reincarcerations AS
SELECT r.*
FROM raw_reincarcerations AS r
JOIN stg_livraisons AS l
    ON l.type_export = 'reincarcerations'
    AND l.sha256 = r.sha256_fichier
    AND l.code_site = r.code_site
    AND l.periode = r.periode;
