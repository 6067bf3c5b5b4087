-- Every delivery owed: each site-level export type, for each semester the site was open (a site
-- opened during a semester owes it), up to the last semester already over at the run date.
-- Reads parametres_qualite (date_du_jour, echeance_mois, echeance_jour), written before this runs.
CREATE OR REPLACE TABLE livraisons_attendues AS
WITH semestres AS (
    SELECT
        s AS debut,
        CASE WHEN month(s) = 1 THEN make_date(year(s), 6, 30) ELSE make_date(year(s), 12, 31) END AS fin
    FROM generate_series(
        (SELECT date_trunc('year', min(date_ouverture))::DATE FROM ref_sites),
        (SELECT date_du_jour FROM parametres_qualite),
        INTERVAL 6 MONTH
    ) AS g(s)
),
periodes AS (
    SELECT
        debut,
        fin,
        year(debut) || '-S' || CASE WHEN month(debut) = 1 THEN '1' ELSE '2' END AS periode,
        make_date(
            year(fin + to_months(p.echeance_mois)),
            month(fin + to_months(p.echeance_mois)),
            p.echeance_jour
        ) AS date_echeance
    FROM semestres, parametres_qualite AS p
    WHERE fin < p.date_du_jour
),
types_site AS (
    SELECT unnest(exports_sites) AS type_export FROM parametres_qualite
)
SELECT
    s.code_site,
    s.departement AS code_departement,
    t.type_export,
    p.periode,
    p.debut AS debut_periode,
    p.fin AS fin_periode,
    p.date_echeance
FROM ref_sites AS s
JOIN periodes AS p
    ON s.date_ouverture <= p.fin
   AND (s.date_fermeture IS NULL OR s.date_fermeture >= p.debut)
CROSS JOIN types_site AS t;
