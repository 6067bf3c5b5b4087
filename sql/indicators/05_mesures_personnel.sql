-- Permanent staff by site and period (the stays its personnel files list), all staff ('') and by
-- role ('_<fonction code>', every code of codes.yaml, zeros included): headcount present on the
-- first and the last day (same rule as pathways: the leaving day is not a day present), their
-- mean, departures in the period, and the mean of the full-time equivalents (quotité) present on
-- the first and the last day.
CREATE OR REPLACE VIEW mesures_personnel AS
WITH fonctions AS (
    SELECT '' AS suffixe, NULL AS fonction
    UNION ALL
    SELECT '_' || code, code FROM ref_fonction
),
effectifs AS (
    SELECT
        sp.code_site,
        sp.type_periode,
        sp.periode,
        f.suffixe,
        s.date_arrivee <= sp.debut AND (s.date_depart IS NULL OR s.date_depart > sp.debut) AS present_debut,
        s.date_depart IS NULL OR s.date_depart > sp.fin AS present_fin,
        s.date_depart <= sp.fin AS parti,
        s.identifiant_salarie,
        s.etp
    FROM sites_periodes AS sp
    CROSS JOIN fonctions AS f
    LEFT JOIN personnel_periodes AS s
        ON s.code_site = sp.code_site
        AND s.type_periode = sp.type_periode
        AND s.periode = sp.periode
        AND (f.fonction IS NULL OR s.fonction = f.fonction)
        AND s.date_arrivee <= sp.fin
        AND (s.date_depart IS NULL OR s.date_depart >= sp.debut)
),
par_site AS (
    SELECT
        code_site,
        type_periode,
        periode,
        suffixe,
        count(identifiant_salarie) FILTER (WHERE present_debut) AS personnel_debut,
        count(identifiant_salarie) FILTER (WHERE present_fin) AS personnel_fin,
        (personnel_debut + personnel_fin) / 2 AS personnel_moyen,
        count(identifiant_salarie) FILTER (WHERE parti) AS departs_personnel,
        (
            coalesce(somme_exacte(CASE WHEN present_debut THEN etp END), 0)
            + coalesce(somme_exacte(CASE WHEN present_fin THEN etp END), 0)
        ) / 2 AS etp_personnel_moyen
    FROM effectifs
    GROUP BY code_site, type_periode, periode, suffixe
)
SELECT code_site, type_periode, periode, mesure || suffixe AS mesure, valeur
FROM (
    UNPIVOT par_site
    ON personnel_debut, personnel_fin, personnel_moyen, departs_personnel, etp_personnel_moyen
    INTO NAME mesure VALUE valeur
);
