-- Pathway rows of the parcours deliveries in force. Landing already replaces a re-sent
-- (site, period); filtering on the active register row states the rule where it is used.
CREATE OR REPLACE VIEW stg_parcours AS
SELECT r.*
FROM raw_parcours AS r
JOIN stg_livraisons AS l
    ON l.type_export = 'parcours'
    AND l.sha256 = r.sha256_fichier
    AND l.code_site = r.code_site
    AND l.periode = r.periode;
