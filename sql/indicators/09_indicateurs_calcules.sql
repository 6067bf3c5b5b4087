-- The long indicator table as computed from the rows kept: every catalog indicator for every zone and period with an open site.
-- Sums and ratios read the zone's summed site measures (mesures_zones): a department's rate is the
-- sum of its sites' numerators over the sum of their denominators, never a mean of site rates.
-- Ratios are fractions (0.3 = 30 %), NULL when the denominator is 0. Medians are taken over the
-- person-level observations of all the zone's covered sites (denominateur = number of
-- observations); a distinct count ('distinct') is the number of distinct observed values.
-- Measurability (`mesurable`, and `motif_non_mesurable` when false):
--   'livraison_manquante' — no site of the zone delivered the export the indicator's measure comes
--     from (couverture); otherwise the figure covers `sites_couverts` of the `sites_ouverts` sites.
--     A zone's year of measures read from its semesters (regles_annee: flows, last-day stocks)
--     needs only one of those semesters delivered by one of its sites, as the DISP and the nation
--     that add it up (a department whose only site missed a semester has the year of the other);
--     a site's own year needs all its semesters. A rate reads its year from the semesters when
--     both its measures do (regles_annee_indicateurs); otherwise both add up the sites that
--     delivered the whole year;
--   'fenetre_non_ecoulee' — a rate with a window (fenetre_mois) whose cohort period end + window
--     is after the reference date of the data it waits for (the catalog's `source`: the national
--     extract's for re-incarceration, the site deliveries' for the follow-up after release);
--   'extrait_manquant' — a re-incarceration window holds a semester whose national extract is
--     missing.
-- A figure not measurable has NULL numerator and value, so that a partial count never reads as a
-- low rate or a zero.
CREATE OR REPLACE VIEW indicateurs_calcules AS
WITH exports AS (
    SELECT DISTINCT mesure, source AS export FROM mesures_sites
    UNION
    SELECT DISTINCT mesure, source FROM observations
),
catalogue AS (
    SELECT c.*, coalesce(e.export, 'parcours') AS export
    FROM catalogue_indicateurs AS c
    LEFT JOIN exports AS e ON e.mesure = c.mesure
),
extraits AS (
    SELECT debut_periode AS debut FROM stg_livraisons WHERE type_export = 'reincarcerations'
),
fenetres AS (
    SELECT
        p.type_periode,
        p.periode,
        c.fenetre_mois,
        CAST(p.fin + to_months(c.fenetre_mois) AS DATE) AS fin_fenetre,
        (SELECT count(*) FROM extraits AS e WHERE e.debut BETWEEN p.debut AND fin_fenetre) AS semestres_livres,
        semestre_indice(semestre_contenant(fin_fenetre)) - semestre_indice(semestre_contenant(p.debut)) + 1
            AS semestres_attendus
    FROM periodes AS p
    CROSS JOIN (SELECT DISTINCT fenetre_mois FROM catalogue_indicateurs WHERE fenetre_mois IS NOT NULL) AS c
),
annees_des_semestres AS (
    SELECT DISTINCT maille, code_zone, periode, mesure, couverture
    FROM mesures_zones
    WHERE depuis_semestres AND maille <> 'site'
),
cellules AS (
    SELECT
        z.maille,
        z.code_zone,
        z.type_periode,
        z.periode,
        c.id AS indicateur,
        c.methode,
        c.mesure,
        c.mesure_denominateur,
        c.export,
        z.type_periode = 'annee' AND l.regle_numerateur IS NOT NULL AS depuis_semestres,
        z.sites_ouverts,
        z.sites_couverts,
        CASE
            WHEN z.sites_couverts = 0
                AND (an.mesure IS NULL OR (c.mesure_denominateur IS NOT NULL AND ad.mesure IS NULL))
                THEN 'livraison_manquante'
            WHEN f.fin_fenetre > coalesce(
                CASE c.source
                    WHEN 'suivi' THEN r.date_reference_donnees
                    ELSE r.date_reference_reincarcerations
                END,
                DATE '0001-01-01'
            ) THEN 'fenetre_non_ecoulee'
            WHEN c.source = 'reincarcerations' AND f.semestres_livres < f.semestres_attendus
                THEN 'extrait_manquant'
        END AS motif_non_mesurable
    FROM catalogue AS c
    JOIN couverture_zones AS z ON z.source = c.export
    LEFT JOIN regles_annee_indicateurs AS l ON l.indicateur = c.id
    LEFT JOIN fenetres AS f
        ON f.fenetre_mois = c.fenetre_mois AND f.type_periode = z.type_periode AND f.periode = z.periode
    LEFT JOIN annees_des_semestres AS an
        ON z.type_periode = 'annee' AND an.maille = z.maille AND an.code_zone = z.code_zone
        AND an.periode = z.periode AND an.mesure = c.mesure AND an.couverture = c.export
    LEFT JOIN annees_des_semestres AS ad
        ON z.type_periode = 'annee' AND ad.maille = z.maille AND ad.code_zone = z.code_zone
        AND ad.periode = z.periode AND ad.mesure = c.mesure_denominateur AND ad.couverture = c.export
    CROSS JOIN date_reference AS r
),
sommes_et_rapports AS (
    SELECT x.*, n.valeur AS numerateur, d.valeur AS denominateur
    FROM cellules AS x
    LEFT JOIN mesures_zones AS n
        ON n.mesure = x.mesure AND n.couverture = x.export AND n.depuis_semestres = x.depuis_semestres
        AND n.maille = x.maille AND n.code_zone = x.code_zone
        AND n.type_periode = x.type_periode AND n.periode = x.periode
    LEFT JOIN mesures_zones AS d
        ON d.mesure = x.mesure_denominateur AND d.couverture = x.export
        AND d.depuis_semestres = x.depuis_semestres
        AND d.maille = x.maille AND d.code_zone = x.code_zone
        AND d.type_periode = x.type_periode AND d.periode = x.periode
    WHERE x.methode IN ('somme', 'rapport')
),
observations_zones AS (
    SELECT zs.maille, zs.code_zone, o.type_periode, o.periode, o.mesure, o.valeur
    FROM observations AS o
    JOIN couverture AS c USING (code_site, type_periode, periode, source)
    JOIN zones_sites AS zs ON zs.code_site = o.code_site
    WHERE c.couvert
),
medianes AS (
    SELECT
        x.* EXCLUDE (mesure, mesure_denominateur, export),
        count(o.valeur) AS observations,
        median(o.valeur) AS mediane,
        count(DISTINCT o.valeur) AS distinctes
    FROM cellules AS x
    LEFT JOIN observations_zones AS o
        ON o.mesure = x.mesure
        AND o.maille = x.maille AND o.code_zone = x.code_zone
        AND o.type_periode = x.type_periode AND o.periode = x.periode
    WHERE x.methode IN ('mediane', 'distinct')
    GROUP BY ALL
),
toutes AS (
    SELECT
        maille, code_zone, type_periode, periode, indicateur, motif_non_mesurable,
        sites_ouverts, sites_couverts, numerateur,
        CASE WHEN motif_non_mesurable IS DISTINCT FROM 'livraison_manquante' THEN denominateur END
            AS denominateur,
        CASE
            WHEN methode = 'somme' THEN numerateur
            WHEN denominateur > 0 THEN numerateur / denominateur
        END AS valeur
    FROM sommes_et_rapports
    UNION ALL
    SELECT
        maille, code_zone, type_periode, periode, indicateur, motif_non_mesurable,
        sites_ouverts, sites_couverts,
        CASE WHEN methode = 'distinct' THEN CAST(distinctes AS DOUBLE) END,
        CASE WHEN methode = 'mediane' AND motif_non_mesurable IS NULL THEN CAST(observations AS DOUBLE) END,
        CAST(CASE WHEN methode = 'distinct' THEN distinctes ELSE mediane END AS DOUBLE)
    FROM medianes
)
SELECT
    maille,
    code_zone,
    type_periode,
    periode,
    indicateur,
    CASE WHEN motif_non_mesurable IS NULL THEN numerateur END AS numerateur,
    denominateur,
    CASE WHEN motif_non_mesurable IS NULL THEN valeur END AS valeur,
    motif_non_mesurable IS NULL AS mesurable,
    motif_non_mesurable,
    sites_ouverts,
    sites_couverts
FROM toutes;
