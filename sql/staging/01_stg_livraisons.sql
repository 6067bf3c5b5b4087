-- Deliveries in force: the active row of each (site, type, period) of the `livraisons` register,
-- with the bounds of its semester. Every staging model keeps only rows of these files.
CREATE OR REPLACE VIEW stg_livraisons AS
SELECT
    code_site,
    type_export,
    periode,
    sha256,
    fichier,
    semestre_debut(periode) AS debut_periode,
    semestre_fin(periode) AS fin_periode
FROM livraisons
WHERE active;
