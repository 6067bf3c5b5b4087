-- Follow-up observations after a release, each tied to the release it follows: the site's pathway
-- of that person ended by a release on that day under a judicial follow-up measure (ingestion
-- already refuses rows of a person without one). An observation whose release date matches no such
-- release follows nothing the indicators know and is left out (ingestion warns the steward, rule
-- suivi_sans_liberation). One row per release and observation
-- day: a line repeated, or sent again in a later semester's file, counts once (the latest).
-- Key: code_site, identifiant, date_sortie, date_observation
CREATE OR REPLACE TABLE observations_suivi AS
SELECT
    s.code_site,
    s.identifiant,
    s.date_sortie,
    s.date_observation,
    s.situation,
    s.date_reincarceration
FROM stg_suivi AS s
JOIN liberations AS l
    ON l.code_site = s.code_site
    AND l.identifiant = s.identifiant
    AND l.date_sortie = s.date_sortie
    AND l.mesure_suivi
QUALIFY row_number() OVER (
    PARTITION BY s.code_site, s.identifiant, s.date_sortie, s.date_observation
    ORDER BY s.periode DESC, s.ligne_source DESC
) = 1;
