-- The figures every publication prints, protected once for all of them (reports/packs/figures.py,
-- asset chiffres_diffuses), in the order the outputs list them.
SELECT d.*
FROM chiffres_diffuses AS d
JOIN catalogue_indicateurs AS c ON c.id = d.indicateur
ORDER BY d.maille, d.code_zone, d.periode, c.ordre;
