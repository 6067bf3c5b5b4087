-- Deliveries in force: the active row of each (site, type, period) of the `livraisons` register,
-- with the bounds of its semester. Every staging model keeps only rows of these files.
CREATE OR REPLACE VIEW stg_livraisons AS
SELECT
    code_site,
    type_export,
    periode,
    sha256,
    fichier,
    make_date(CAST(left(periode, 4) AS INTEGER), CASE right(periode, 1) WHEN '1' THEN 1 ELSE 7 END, 1)
        AS debut_periode,
    make_date(CAST(left(periode, 4) AS INTEGER), CASE right(periode, 1) WHEN '1' THEN 6 ELSE 12 END,
        CASE right(periode, 1) WHEN '1' THEN 30 ELSE 31 END) AS fin_periode
FROM livraisons
WHERE active;
