-- Proportions outside [0, 1], read by an asset check (empty when consistent). Ratios that may
-- exceed 1 (occupancy, turnover) have the unit 'ratio' in the catalog and are not checked.
CREATE OR REPLACE VIEW controle_taux AS
SELECT i.*
FROM indicateurs AS i
JOIN catalogue_indicateurs AS c ON c.id = i.indicateur
WHERE c.unite = 'taux' AND NOT i.valeur BETWEEN 0 AND 1;
