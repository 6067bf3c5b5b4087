-- Reporting periods: every semester from the first to the latest delivered one, and every calendar
-- year they touch. A year is clipped to its delivered semesters (with only 2026-S1 delivered, 2026
-- covers 1 January–30 June): "present on the last day" and ETP then refer to observed days, and a
-- year's event counts are the sum of its semesters'. Semester index i = 2 × year + (half − 1).
-- Key: periode
CREATE OR REPLACE TABLE periodes AS
WITH indices AS (
    SELECT unnest(generate_series(
        CAST(left(premiere_periode, 4) AS INTEGER) * 2 + CAST(right(premiere_periode, 1) AS INTEGER) - 1,
        CAST(left(derniere_periode, 4) AS INTEGER) * 2 + CAST(right(derniere_periode, 1) AS INTEGER) - 1
    )) AS i
    FROM date_reference
),
semestres AS (
    SELECT
        'semestre' AS type_periode,
        format('{}-S{}', i // 2, i % 2 + 1) AS periode,
        i // 2 AS annee,
        make_date(i // 2, (i % 2) * 6 + 1, 1) AS debut,
        CAST(make_date(i // 2, (i % 2) * 6 + 1, 1) + INTERVAL 6 MONTH - INTERVAL 1 DAY AS DATE) AS fin
    FROM indices
),
annees AS (
    SELECT 'annee' AS type_periode, CAST(annee AS VARCHAR) AS periode, annee, min(debut) AS debut, max(fin) AS fin
    FROM semestres
    GROUP BY annee
),
toutes AS (
    SELECT * FROM semestres
    UNION ALL
    SELECT * FROM annees
)
SELECT
    type_periode,
    periode,
    annee,
    debut,
    fin,
    date_diff('day', debut, fin) + 1 AS jours,
    (date_diff('day', debut, fin) + 1)
        / date_diff('day', make_date(annee, 1, 1), make_date(annee + 1, 1, 1)) AS part_annee
FROM toutes;
