-- Every warehouse indicator, semesters and years, with what statistical confidentiality and the
-- publications need: the zone's label and parents, the catalog's theme and unit, the figure's
-- nature for the rules of reports/confidentiality.py (counts of people or pathways, rates and
-- medians over people; anything else — ETP, occupancy, sites — is shown as it is), why it is not
-- measurable, how many of the zone's open sites it covers and, for a rate over people, the
-- published count of its denominator (« effectif insuffisant » tells a reader it is under the
-- threshold), and whether its denominator is the average of two counts one of which is published
-- (`base_moyenne`: operator turnover, over the mean of the open pathways on the first and the last
-- day; beside its numerator it gives their sum back, reports/confidentiality.py), and the published
-- count its denominator is part of (`compte_parmi`: the exits whose trainings are known are among
-- the exits; where nearly all are known, a rate and its numerator give the exits back, so the rate
-- is hidden wherever that count is). Sites have the indicators the catalog publishes per site (`par_site`), the others
-- start at the department: a site's breakdowns by reason or situation are mostly counts under
-- the threshold, whose protection would hide department figures.
WITH comptes_publies AS (
    SELECT id, mesure
    FROM catalogue_indicateurs
    WHERE unite = 'nombre' AND methode = 'somme' AND personnes
),
compte_par_mesure AS (
    SELECT mesure, min(id) AS compte FROM comptes_publies GROUP BY mesure
)
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
        WHEN NOT c.personnes THEN 'valeur'
        WHEN c.unite = 'nombre' THEN 'effectif'
        WHEN c.methode = 'rapport' THEN 'rapport'
        WHEN c.methode = 'mediane' THEN 'mediane'
        ELSE 'valeur'
    END AS nature,
    c.unite = 'taux' AND c.methode = 'rapport' AS part,
    d.compte AS compte_denominateur,
    pm.compte AS compte_parmi,
    c.methode = 'rapport' AND c.personnes AND coalesce(
        list_has_any(m.moyenne_de, (SELECT list(mesure) FROM comptes_publies)), false
    ) AS base_moyenne,
    i.numerateur,
    i.denominateur,
    i.valeur,
    i.mesurable,
    i.motif_non_mesurable,
    i.sites_couverts,
    i.sites_ouverts
FROM indicateurs AS i
JOIN zones AS z ON z.maille = i.maille AND z.code_zone = i.code_zone
JOIN catalogue_indicateurs AS c ON c.id = i.indicateur
LEFT JOIN catalogue_mesures AS m ON m.id = c.mesure_denominateur
LEFT JOIN compte_par_mesure AS d
    ON d.mesure = c.mesure_denominateur AND c.methode = 'rapport' AND c.personnes
LEFT JOIN compte_par_mesure AS pm
    ON pm.mesure = m.parmi AND c.methode = 'rapport' AND c.personnes
WHERE i.maille <> 'site' OR c.par_site
ORDER BY i.maille, i.code_zone, i.periode, c.ordre;
