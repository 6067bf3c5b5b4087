-- The pathway files missing from a year a site delivered only part of: the year's figures leave
-- the site out, its delivered semesters' figures count it, so the year and its semesters differ
-- by exactly that site's delivered semesters, which a reader can subtract (docs/publication.md).
-- One row per missing file, with the year and the semesters the site did deliver.
WITH semestres AS (
    SELECT c.code_site, p.annee, c.periode, c.couvert
    FROM couverture AS c
    JOIN periodes AS p USING (type_periode, periode)
    WHERE c.source = 'parcours' AND c.type_periode = 'semestre'
),
partielles AS (
    SELECT code_site, annee, list(periode ORDER BY periode) FILTER (WHERE couvert) AS semestres_livres
    FROM semestres
    GROUP BY ALL
    HAVING bool_or(couvert) AND NOT bool_and(couvert)
)
SELECT
    CAST(a.annee AS VARCHAR) AS annee,
    z.libelle_zone AS libelle_site,
    s.periode AS semestre_manquant,
    a.semestres_livres
FROM partielles AS a
JOIN semestres AS s ON s.code_site = a.code_site AND s.annee = a.annee AND NOT s.couvert
JOIN zones AS z ON z.maille = 'site' AND z.code_zone = a.code_site
ORDER BY annee, libelle_site;
