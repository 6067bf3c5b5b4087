-- The analysts' cross-tab (copied into their warehouse copy): outcomes by site, period and the
-- pathway's profile — age band at entry, diploma, sentence length band, and how it ended with
-- respect to a sentence adjustment (the type of adjustment; 'sans_amenagement' for another release;
-- 'non_libere' while open or for an exit that is not a release) — as exact counts, one row per
-- combination that occurs, never a row per person and never an identifier. Any breakdown is a
-- GROUP BY over these columns. Events count in the period they happen in (entries, exits); the
-- re-incarceration cohorts are those of the indicators (a person at their first release of the
-- period, by site), their counts NULL until the window has elapsed (censoring, as in `indicateurs`).
CREATE OR REPLACE VIEW resultats_croises_calcules AS
WITH profils AS (
    SELECT
        *,
        CASE
            WHEN age_entree IS NULL THEN 'inconnu'
            WHEN age_entree < 26 THEN 'moins_de_26_ans'
            WHEN age_entree < 36 THEN '26_35_ans'
            WHEN age_entree < 46 THEN '36_45_ans'
            ELSE '46_ans_et_plus'
        END AS tranche_age,
        coalesce(niveau_diplome, 'inconnu') AS diplome,
        CASE
            WHEN quantum_peine_mois IS NULL THEN 'inconnu'
            WHEN quantum_peine_mois < 4 THEN 'moins_de_4_mois'
            WHEN quantum_peine_mois <= 12 THEN '4_12_mois'
            WHEN quantum_peine_mois <= 24 THEN '13_24_mois'
            WHEN quantum_peine_mois <= 36 THEN '25_36_mois'
            ELSE 'plus_de_36_mois'
        END AS tranche_quantum,
        CASE
            WHEN type_amenagement IS NOT NULL THEN type_amenagement
            WHEN est_liberation THEN 'sans_amenagement'
            ELSE 'non_libere'
        END AS amenagement
    FROM parcours
),
flux AS (
    SELECT
        sp.code_site,
        sp.type_periode,
        sp.periode,
        p.tranche_age,
        p.diplome,
        p.tranche_quantum,
        p.amenagement,
        count(*) FILTER (WHERE p.date_entree >= sp.debut) AS entrees,
        count(*) FILTER (WHERE p.date_sortie <= sp.fin) AS sorties,
        count(*) FILTER (WHERE p.date_sortie <= sp.fin AND p.est_liberation) AS liberations,
        count(*) FILTER (WHERE p.date_sortie <= sp.fin AND p.motif_sortie = 'retour_detention_ordinaire')
            AS retours_detention_ordinaire,
        count(*) FILTER (
            WHERE p.date_sortie <= sp.fin AND NOT p.est_liberation
                AND p.motif_sortie <> 'retour_detention_ordinaire'
        ) AS autres_sorties,
        count(*) FILTER (WHERE p.date_sortie <= sp.fin AND p.sortie_emploi_formation)
            AS sorties_emploi_formation,
        count(*) FILTER (WHERE p.date_sortie <= sp.fin AND p.sortie_dynamique) AS sorties_dynamiques,
        count(*) FILTER (WHERE p.date_sortie <= sp.fin AND p.clea_obtenu) AS sorties_clea,
        count(*) FILTER (WHERE p.date_sortie IS NULL OR p.date_sortie > sp.fin) AS presents_fin
    FROM sites_periodes AS sp
    JOIN profils AS p
        ON p.code_site = sp.code_site
        AND p.date_entree <= sp.fin
        AND (p.date_sortie IS NULL OR p.date_sortie >= sp.debut)
    GROUP BY ALL
),
cohortes AS (
    SELECT
        l.code_site,
        l.type_periode,
        l.periode,
        p.tranche_age,
        p.diplome,
        p.tranche_quantum,
        p.amenagement,
        CAST(l.fin_periode + INTERVAL 6 MONTH AS DATE) <= r.date_reference_reincarcerations AS mesurable_6m,
        CAST(l.fin_periode + INTERVAL 12 MONTH AS DATE) <= r.date_reference_reincarcerations AS mesurable_12m,
        count(*) AS personnes_liberees,
        count(*) FILTER (WHERE l.date_reincarceration <= CAST(l.date_sortie + INTERVAL 6 MONTH AS DATE))
            AS reincarcerees_6m,
        count(*) FILTER (WHERE l.date_reincarceration <= CAST(l.date_sortie + INTERVAL 12 MONTH AS DATE))
            AS reincarcerees_12m
    FROM premieres_liberations AS l
    JOIN profils AS p USING (code_site, identifiant, date_entree)
    CROSS JOIN date_reference AS r
    GROUP BY ALL
)
SELECT
    code_site,
    type_periode,
    periode,
    tranche_age,
    diplome AS niveau_diplome,
    tranche_quantum,
    amenagement,
    coalesce(f.entrees, 0) AS entrees,
    coalesce(f.sorties, 0) AS sorties,
    coalesce(f.liberations, 0) AS liberations,
    coalesce(f.retours_detention_ordinaire, 0) AS retours_detention_ordinaire,
    coalesce(f.autres_sorties, 0) AS autres_sorties,
    coalesce(f.sorties_emploi_formation, 0) AS sorties_emploi_formation,
    coalesce(f.sorties_dynamiques, 0) AS sorties_dynamiques,
    coalesce(f.sorties_clea, 0) AS sorties_clea,
    coalesce(f.presents_fin, 0) AS presents_fin,
    coalesce(c.personnes_liberees, 0) AS personnes_liberees,
    CASE WHEN c.mesurable_6m THEN c.reincarcerees_6m END AS reincarcerees_6m,
    CASE WHEN c.mesurable_12m THEN c.reincarcerees_12m END AS reincarcerees_12m
FROM flux AS f
FULL JOIN cohortes AS c
    USING (code_site, type_periode, periode, tranche_age, diplome, tranche_quantum, amenagement);
