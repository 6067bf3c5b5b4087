-- Figures outside the plausibility bounds of their catalog entry (plausibilite_min / _max), site
-- figures first: the blocking check on the indicators names them and stops the publication.
SELECT
    i.maille,
    i.code_zone,
    z.libelle_zone,
    i.periode,
    i.indicateur,
    c.libelle,
    c.unite,
    i.valeur,
    c.plausibilite_min,
    c.plausibilite_max
FROM indicateurs AS i
JOIN catalogue_indicateurs AS c ON c.id = i.indicateur
LEFT JOIN zones AS z ON z.maille = i.maille AND z.code_zone = i.code_zone
WHERE i.valeur < c.plausibilite_min OR i.valeur > c.plausibilite_max
ORDER BY
    CASE i.maille WHEN 'site' THEN 1 WHEN 'departement' THEN 2 WHEN 'disp' THEN 3 ELSE 4 END,
    i.code_zone,
    i.periode,
    c.ordre
