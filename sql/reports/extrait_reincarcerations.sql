-- The latest ingestion of a national re-incarceration extract in force: every re-incarceration
-- rate may have moved since (a cohort becomes measurable, a late écrou is added).
SELECT max(date_ingestion) AS date_extrait
FROM livraisons
WHERE active AND type_export = 'reincarcerations';
