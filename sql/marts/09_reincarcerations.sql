-- New incarcerations anywhere in France (national extracts, the authoritative source), one row per
-- person and date: extracts of successive semesters may repeat an écrou.
-- Key: identifiant, date_ecrou
CREATE OR REPLACE TABLE reincarcerations AS
SELECT identifiant, date_ecrou, min(periode) AS periode_extrait
FROM stg_reincarcerations
GROUP BY identifiant, date_ecrou;
