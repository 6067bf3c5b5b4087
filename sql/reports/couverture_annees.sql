-- Which sites each year's figures cover: a site open in the year covers it when it delivered the
-- pathway file of each of the year's semesters it was open in (couverture, `toutes`). A site that
-- delivered only some of them (`une_partie`) counts in the year's counts of events and last-day
-- stocks for those semesters (the sums of its semesters, sql/indicators/07_regles_annee.sql), not
-- in the figures over the whole year (file active, occupancy, medians): the national report and a
-- department's year review say so. A year is clipped to the delivered semesters (marts/02_periodes).
SELECT
    c.periode,
    z.code_departement,
    z.libelle_zone AS libelle_site,
    c.couvert AS toutes,
    bool_or(s.couvert) AS une_partie
FROM couverture AS c
JOIN zones AS z ON z.maille = 'site' AND z.code_zone = c.code_site
JOIN periodes AS a ON a.type_periode = c.type_periode AND a.periode = c.periode
JOIN couverture AS s
    ON s.code_site = c.code_site AND s.source = c.source AND s.type_periode = 'semestre'
JOIN periodes AS p ON p.type_periode = s.type_periode AND p.periode = s.periode AND p.annee = a.annee
WHERE c.source = 'parcours' AND c.type_periode = 'annee'
GROUP BY ALL
ORDER BY c.periode, libelle_site;
