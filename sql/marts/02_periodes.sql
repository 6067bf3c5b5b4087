-- Reporting periods: every semester from the first to the latest delivered one, and every calendar
-- year they touch. A year is clipped to its delivered semesters (with only 2026-S1 delivered, 2026
-- covers 1 January–30 June): "present on the last day" and ETP then refer to observed days, and a
-- year's event counts are the sum of its semesters'.
-- Key: periode
CREATE OR REPLACE TABLE periodes AS
WITH semestres AS (
    SELECT 'semestre' AS type_periode, periode, annee, debut, fin
    FROM semestres_entre(
        (SELECT premiere_periode FROM date_reference),
        (SELECT derniere_periode FROM date_reference)
    )
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
