-- The national re-incarceration extracts, for the national steward's quality page: each extract in
-- force with its rows (read, accepted, quarantined), the écrous and people it holds, and the people
-- tied to a release from a workshop (a pathway ended by a release before one of their écrous in the
-- extract): the re-incarcerations the indicators can see. Counts only, never an identifier. Read
-- from the raw tables of the deliveries in force, so that it does not wait for the marts.
CREATE OR REPLACE TABLE qualite_reincarcerations AS
WITH extraits AS (
    SELECT sha256, periode, fichier, date_reception, lignes_recues, lignes_acceptees,
        lignes_quarantaine, avertissements
    FROM livraisons
    WHERE active AND type_export = 'reincarcerations'
),
premieres_liberations AS (
    SELECT r.identifiant, min(r.date_sortie) AS date_sortie
    FROM raw_parcours AS r
    JOIN livraisons AS l ON l.active AND l.type_export = 'parcours' AND l.sha256 = r.sha256_fichier
    JOIN ref_motif_sortie AS m ON m.code = r.motif_sortie AND m.liberation
    GROUP BY r.identifiant
),
ecrous AS (
    SELECT DISTINCT e.periode, r.identifiant, r.date_ecrou, p.date_sortie < r.date_ecrou AS apres_liberation
    FROM raw_reincarcerations AS r
    JOIN extraits AS e ON e.sha256 = r.sha256_fichier
    LEFT JOIN premieres_liberations AS p USING (identifiant)
)
SELECT
    e.periode,
    e.fichier,
    e.date_reception,
    e.lignes_recues,
    e.lignes_acceptees,
    e.lignes_quarantaine,
    e.avertissements,
    count(c.identifiant) AS ecrous,
    count(DISTINCT c.identifiant) AS personnes,
    count(DISTINCT c.identifiant) FILTER (WHERE c.apres_liberation) AS personnes_rapprochees
FROM extraits AS e
LEFT JOIN ecrous AS c USING (periode)
GROUP BY ALL
ORDER BY e.periode;
