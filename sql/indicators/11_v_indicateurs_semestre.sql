-- The wide indicators by semester (one row per zone and semester).
CREATE OR REPLACE VIEW v_indicateurs_semestre AS
SELECT * EXCLUDE (type_periode) FROM indicateurs_larges WHERE type_periode = 'semestre';
