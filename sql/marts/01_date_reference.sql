-- The data's reference dates, printed by every output. Site data run to the end of the latest
-- semester with a site delivery in force; re-incarcerations are known up to the end of the latest
-- semester covered by a national extract in force (NULL when none: those rates are never measurable).
-- Key: (one row)
CREATE OR REPLACE TABLE date_reference AS
SELECT
    min(periode) FILTER (WHERE type_export <> 'reincarcerations') AS premiere_periode,
    max(periode) FILTER (WHERE type_export <> 'reincarcerations') AS derniere_periode,
    min(debut_periode) FILTER (WHERE type_export <> 'reincarcerations') AS date_debut_donnees,
    max(fin_periode) FILTER (WHERE type_export <> 'reincarcerations') AS date_reference_donnees,
    max(periode) FILTER (WHERE type_export = 'reincarcerations') AS derniere_periode_reincarcerations,
    max(fin_periode) FILTER (WHERE type_export = 'reincarcerations') AS date_reference_reincarcerations
FROM stg_livraisons;
