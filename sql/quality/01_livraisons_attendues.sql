-- Every delivery owed: each site-level export type, for each semester the site was open (a site
-- opened during a semester owes it), up to the last semester already over at the run date.
-- Reads parametres_qualite (date_du_jour, echeance_mois, echeance_jour), written before this runs.
CREATE OR REPLACE TABLE livraisons_attendues AS
WITH periodes AS (
    SELECT
        periode,
        debut,
        fin,
        semestre_echeance(periode, p.echeance_mois, p.echeance_jour) AS date_echeance
    FROM semestres_entre(
        (SELECT semestre_contenant(min(date_ouverture)) FROM ref_sites),
        (SELECT semestre_contenant(date_du_jour) FROM parametres_qualite)
    ), parametres_qualite AS p
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
