-- The latest published version of every figure of one period type ($type_periode).
SELECT * EXCLUDE (rang)
FROM (
    SELECT *, row_number() OVER (PARTITION BY maille, code_zone, periode, indicateur ORDER BY date_publication DESC) AS rang
    FROM chiffres_publies
    WHERE type_periode = $type_periode
)
WHERE rang = 1;
