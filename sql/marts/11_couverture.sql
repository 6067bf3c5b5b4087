-- Which site × period × source export the figures may be computed from: a site open in a period
-- covers it for an export ('parcours', 'personnel') when the export is in force for each semester
-- of the period it was open in (a year needs all of them). A period not covered has figures "not
-- measurable (livraison manquante)": never 0, never carried over from an earlier delivery; the
-- sites referential ('referentiel': sites open, contracted posts) is never missing. Zone
-- figures add up the covered sites only and say how many they cover (couverture_zones).
-- Key: code_site, periode, source
CREATE OR REPLACE TABLE couverture AS
WITH sources AS (
    SELECT unnest(['parcours', 'personnel']) AS source
),
semestres_dus AS (
    SELECT
        sp.code_site,
        sp.type_periode,
        sp.periode,
        x.source,
        s.periode AS semestre,
        l.code_site IS NOT NULL AS livre
    FROM sites_periodes AS sp
    CROSS JOIN sources AS x
    JOIN sites_periodes AS s
        ON s.code_site = sp.code_site
        AND s.type_periode = 'semestre'
        AND s.debut BETWEEN sp.debut AND sp.fin
    LEFT JOIN stg_livraisons AS l
        ON l.code_site = sp.code_site AND l.type_export = x.source AND l.periode = s.periode
)
SELECT code_site, type_periode, periode, source, bool_and(livre) AS couvert
FROM semestres_dus
GROUP BY ALL
UNION ALL
SELECT code_site, type_periode, periode, 'referentiel', true
FROM sites_periodes;
