-- Person-level rows past retention (docs/conservation.md: kept only as long as the indicators need them).
-- Reads parametres_conservation(date_limite) = run date minus the retention period, written just
-- before. A pathway goes as a whole (all its semester rows) once it ended before the limit; open
-- pathways stay. One view per table, used both to list (simulation) and to delete.
CREATE OR REPLACE TEMP VIEW a_purger_parcours AS
SELECT code_site, identifiant, date_entree
FROM raw_parcours
GROUP BY code_site, identifiant, date_entree
HAVING max(date_sortie) < (SELECT date_limite FROM parametres_conservation)
   AND count(*) FILTER (WHERE date_sortie IS NOT NULL) > 0;

CREATE OR REPLACE TEMP VIEW a_purger_personnel AS
SELECT code_site, identifiant_salarie, date_arrivee
FROM raw_personnel
GROUP BY code_site, identifiant_salarie, date_arrivee
HAVING max(date_depart) < (SELECT date_limite FROM parametres_conservation);

-- Follow-up observations go with the release they follow.
CREATE OR REPLACE TEMP VIEW a_purger_suivi AS
SELECT code_site, identifiant, date_sortie, date_observation
FROM raw_suivi
WHERE date_sortie < (SELECT date_limite FROM parametres_conservation);

-- An incarceration older than the limit cannot fall in the 12-month window of any release kept.
CREATE OR REPLACE TEMP VIEW a_purger_reincarcerations AS
SELECT identifiant, date_ecrou
FROM raw_reincarcerations
WHERE date_ecrou < (SELECT date_limite FROM parametres_conservation);

-- Findings of deliveries whose semester ended before the limit.
CREATE OR REPLACE TEMP VIEW a_purger_anomalies AS
SELECT sha256, ligne, regle
FROM anomalies
WHERE semestre_fin(periode) < (SELECT date_limite FROM parametres_conservation);
