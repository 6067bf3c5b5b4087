-- Delete what 01_a_purger.sql lists. Derived tables (staging, marts, indicators) are rebuilt from
-- the raw tables afterwards, so they lose the same rows.
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
