-- The counts protection judged, as the audit reads them (asset chiffres_diffuses).
SELECT * FROM cellules_secret;
