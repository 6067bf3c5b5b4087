-- The wide indicators by year (one row per zone and year).
CREATE OR REPLACE VIEW v_indicateurs_annee AS
SELECT * EXCLUDE (type_periode) FROM indicateurs_larges WHERE type_periode = 'annee';
