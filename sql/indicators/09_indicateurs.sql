-- The long indicator table: every catalog indicator for every zone and period with an open site.
-- Sums and ratios read the zone's summed site measures (mesures_zones): a department's rate is the
-- sum of its sites' numerators over the sum of their denominators, never a mean of site rates.
-- Ratios are fractions (0.3 = 30 %), NULL when the denominator is 0. Medians are taken over the
-- person-level observations of all the zone's sites (denominateur = number of observations).
-- Censoring: a rate with a window (fenetre_mois, re-incarceration) is measurable only when the end
-- of the cohort period + the window is on or before the re-incarceration reference date; otherwise
-- mesurable = false and numerator and value are NULL (the cohort size stays as denominator), so that
-- a partial count never reads as a low rate.
CREATE OR REPLACE TABLE indicateurs AS
WITH zones_periodes AS (
    SELECT DISTINCT maille, code_zone, type_periode, periode FROM mesures_zones
),
sommes_et_rapports AS (
    SELECT
        n.maille,
        n.code_zone,
        n.type_periode,
        n.periode,
        c.id AS indicateur,
        c.methode,
        n.valeur AS numerateur,
        d.valeur AS denominateur,
        c.fenetre_mois IS NULL
            OR coalesce(
                CAST(p.fin + to_months(c.fenetre_mois) AS DATE) <= r.date_reference_reincarcerations, false
            ) AS mesurable
    FROM catalogue_indicateurs AS c
    JOIN mesures_zones AS n ON n.mesure = c.mesure
    LEFT JOIN mesures_zones AS d
        ON d.mesure = c.mesure_denominateur
        AND d.maille = n.maille
        AND d.code_zone = n.code_zone
        AND d.type_periode = n.type_periode
        AND d.periode = n.periode
    JOIN periodes AS p ON p.type_periode = n.type_periode AND p.periode = n.periode
    CROSS JOIN date_reference AS r
    WHERE c.methode IN ('somme', 'rapport')
),
observations_zones AS (
    SELECT zs.maille, zs.code_zone, o.type_periode, o.periode, o.mesure, o.valeur
    FROM observations AS o
    JOIN zones_sites AS zs ON zs.code_site = o.code_site
),
medianes AS (
    SELECT
        zp.maille,
        zp.code_zone,
        zp.type_periode,
        zp.periode,
        c.id AS indicateur,
        count(o.valeur) AS observations,
        median(o.valeur) AS mediane
    FROM catalogue_indicateurs AS c
    CROSS JOIN zones_periodes AS zp
    LEFT JOIN observations_zones AS o
        ON o.mesure = c.mesure
        AND o.maille = zp.maille
        AND o.code_zone = zp.code_zone
        AND o.type_periode = zp.type_periode
        AND o.periode = zp.periode
    WHERE c.methode = 'mediane'
    GROUP BY zp.maille, zp.code_zone, zp.type_periode, zp.periode, c.id
)
SELECT
    maille,
    code_zone,
    type_periode,
    periode,
    indicateur,
    CASE WHEN mesurable THEN numerateur END AS numerateur,
    denominateur,
    CASE
        WHEN NOT mesurable THEN NULL
        WHEN methode = 'somme' THEN numerateur
        WHEN denominateur > 0 THEN numerateur / denominateur
    END AS valeur,
    mesurable
FROM sommes_et_rapports
UNION ALL
SELECT
    maille,
    code_zone,
    type_periode,
    periode,
    indicateur,
    NULL,
    CAST(observations AS DOUBLE),
    CAST(mediane AS DOUBLE),
    true
FROM medianes
ORDER BY maille, code_zone, type_periode, periode, indicateur;
