-- Which sites each year's figures cover: a site open in the year covers it when it delivered the
-- pathway file of each of the year's semesters it was open in (couverture, `toutes`). A site that
-- delivered only some of them (`une_partie`) counts in those semesters' figures and not in the
-- year's, so the year and its semesters differ by exactly its delivered semesters, which a reader
-- can subtract (docs/publication.md): the national report and a department's year review state
-- the coverage, the secrecy audit names the missing files. A year is clipped to the delivered
-- semesters (marts/02_periodes).
SELECT
    c.periode,
    z.code_departement,
    z.libelle_zone AS libelle_site,
    c.couvert AS toutes,
    bool_or(s.couvert) AS une_partie,
    list(s.periode ORDER BY s.periode) FILTER (WHERE s.couvert) AS semestres_livres,
    list(s.periode ORDER BY s.periode) FILTER (WHERE NOT s.couvert) AS semestres_manquants
FROM couverture AS c
JOIN zones AS z ON z.maille = 'site' AND z.code_zone = c.code_site
JOIN periodes AS a ON a.type_periode = c.type_periode AND a.periode = c.periode
JOIN couverture AS s
    ON s.code_site = c.code_site AND s.source = c.source AND s.type_periode = 'semestre'
JOIN periodes AS p ON p.type_periode = s.type_periode AND p.periode = s.periode AND p.annee = a.annee
WHERE c.source = 'parcours' AND c.type_periode = 'annee'
GROUP BY ALL
ORDER BY c.periode, libelle_site;
