-- The moves proving hidden counts protected, as the audit reads them (asset chiffres_diffuses).
SELECT * FROM certificats_secret;
