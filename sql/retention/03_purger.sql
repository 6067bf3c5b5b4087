-- Delete what 01_a_purger.sql lists. Derived tables (staging, marts, indicators) are rebuilt from
-- the raw tables afterwards, so they lose the same rows. The pathways removed are first tallied by
-- site and by how they ended (their exit row), for the results since a site's opening.
INSERT INTO parcours_purges
SELECT code_site, (SELECT date_limite FROM parametres_conservation), motif_sortie, situation_sortie, count(*)
FROM (
    SELECT r.code_site, r.motif_sortie, r.situation_sortie
    FROM raw_parcours AS r
    JOIN a_purger_parcours AS a USING (code_site, identifiant, date_entree)
    WHERE r.date_sortie IS NOT NULL
    QUALIFY row_number() OVER (
        PARTITION BY r.code_site, r.identifiant, r.date_entree ORDER BY r.periode DESC, r.ligne_source DESC
    ) = 1
)
GROUP BY ALL;

DELETE FROM raw_parcours
WHERE (code_site, identifiant, date_entree) IN (SELECT code_site, identifiant, date_entree FROM a_purger_parcours);

DELETE FROM raw_personnel
WHERE (code_site, identifiant_salarie, date_arrivee) IN (SELECT code_site, identifiant_salarie, date_arrivee FROM a_purger_personnel);

DELETE FROM raw_suivi
WHERE (code_site, identifiant, date_sortie, date_observation) IN (SELECT code_site, identifiant, date_sortie, date_observation FROM a_purger_suivi);

DELETE FROM raw_reincarcerations
WHERE (identifiant, date_ecrou) IN (SELECT identifiant, date_ecrou FROM a_purger_reincarcerations);

DELETE FROM anomalies
WHERE (sha256, ligne, regle) IN (SELECT sha256, ligne, regle FROM a_purger_anomalies);
