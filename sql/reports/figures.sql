-- Every warehouse indicator, semesters and years, with what statistical confidentiality and the
-- publications need: the zone's label and parents, the catalog's theme and unit, and the figure's
-- nature for the rules of reports/confidentiality.py (counts of people or pathways, rates,
-- medians; anything else, ETP, is shown as it is).
SELECT
    i.maille,
    i.code_zone,
    z.libelle_zone,
    z.code_departement,
    z.code_disp,
    i.type_periode,
    i.periode,
    i.indicateur,
    c.theme,
    c.unite,
    CASE
        WHEN c.unite = 'nombre' THEN 'effectif'
        WHEN c.methode = 'rapport' THEN 'rapport'
        WHEN c.methode = 'mediane' THEN 'mediane'
        ELSE 'valeur'
    END AS nature,
    i.numerateur,
    i.denominateur,
    i.valeur,
    i.mesurable
FROM indicateurs AS i
JOIN zones AS z ON z.maille = i.maille AND z.code_zone = i.code_zone
JOIN catalogue_indicateurs AS c ON c.id = i.indicateur
ORDER BY i.maille, i.code_zone, i.periode, c.ordre;
