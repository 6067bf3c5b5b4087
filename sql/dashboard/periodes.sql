-- Periods with indicators, oldest first within each type; `partielle` marks a year the data
-- does not cover to 31 December (its label then says where it stops).
SELECT
    p.type_periode,
    p.periode,
    p.debut,
    p.fin,
    p.type_periode = 'annee' AND p.fin < make_date(p.annee, 12, 31) AS partielle
FROM periodes AS p
WHERE EXISTS (SELECT 1 FROM indicateurs AS i WHERE i.type_periode = p.type_periode AND i.periode = p.periode)
ORDER BY p.type_periode DESC, p.periode;
