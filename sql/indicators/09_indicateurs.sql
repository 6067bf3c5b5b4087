-- The long indicator table: every catalog indicator for every zone and period with an open site.
-- Sums and ratios read the zone's summed site measures (mesures_zones): a department's rate is the
-- sum of its sites' numerators over the sum of their denominators, never a mean of site rates.
-- Ratios are fractions (0.3 = 30 %), NULL when the denominator is 0. Medians are taken over the
-- person-level observations of all the zone's sites (denominateur = number of observations); a
-- distinct count ('distinct') is the number of distinct observed values over the zone's sites.
-- Censoring: a rate with a window (fenetre_mois) is measurable only when the end of the cohort
-- period + the window is on or before the reference date of its source (the national extract's for
-- re-incarceration, the site deliveries' for the follow-up after release); otherwise
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
                CAST(p.fin + to_months(c.fenetre_mois) AS DATE) <= CASE c.source
                    WHEN 'suivi' THEN r.date_reference_donnees
                    ELSE r.date_reference_reincarcerations
                END,
                false
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
        c.methode,
        count(o.valeur) AS observations,
        median(o.valeur) AS mediane,
        count(DISTINCT o.valeur) AS distinctes
    FROM catalogue_indicateurs AS c
    CROSS JOIN zones_periodes AS zp
    LEFT JOIN observations_zones AS o
        ON o.mesure = c.mesure
        AND o.maille = zp.maille
        AND o.code_zone = zp.code_zone
        AND o.type_periode = zp.type_periode
        AND o.periode = zp.periode
    WHERE c.methode IN ('mediane', 'distinct')
    GROUP BY zp.maille, zp.code_zone, zp.type_periode, zp.periode, c.id, c.methode
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
    CASE WHEN methode = 'distinct' THEN CAST(distinctes AS DOUBLE) END,
    CASE WHEN methode = 'mediane' THEN CAST(observations AS DOUBLE) END,
    CAST(CASE WHEN methode = 'distinct' THEN distinctes ELSE mediane END AS DOUBLE),
    true
FROM medianes
ORDER BY maille, code_zone, type_periode, periode, indicateur;
