-- Status of each owed delivery: on time, late, rejected, missing, or not yet due (the codes of
-- codes.yaml, statut_livraison, which hold their labels, gravity and colours).
-- On time / late is judged on the first accepted file of the key (a rejected first attempt
-- followed by a valid file after the due date is late); a key whose files were all refused is
-- "rejetee"; nothing received after the due date is "manquante".
CREATE OR REPLACE TABLE statut_livraisons AS
WITH recus AS (
    SELECT
        code_site,
        type_export,
        periode,
        count(*) AS fichiers_recus,
        count(*) FILTER (WHERE statut = 'rejetee') AS fichiers_rejetes,
        min(date_reception) FILTER (WHERE statut IN ('acceptee', 'remplacee')) AS premiere_reception_valide,
        max(date_reception) AS derniere_reception,
        arg_max(statut, date_reception) AS statut_dernier_envoi
    FROM livraisons
    WHERE code_site IS NOT NULL
    GROUP BY ALL
),
active AS (
    SELECT code_site, type_export, periode, fichier, lignes_recues, lignes_acceptees,
           lignes_quarantaine, avertissements, colonnes_supprimees, colonnes_absentes
    FROM livraisons
    WHERE active
)
SELECT
    a.code_site,
    a.code_departement,
    a.type_export,
    a.periode,
    a.date_echeance,
    coalesce(r.fichiers_recus, 0) AS fichiers_recus,
    coalesce(r.fichiers_rejetes, 0) AS fichiers_rejetes,
    r.premiere_reception_valide,
    r.derniere_reception,
    r.statut_dernier_envoi = 'rejetee' AS dernier_envoi_rejete,
    r.statut_dernier_envoi = 'a_confirmer' AS dernier_envoi_a_confirmer,
    CASE
        WHEN r.premiere_reception_valide IS NOT NULL AND r.premiere_reception_valide::DATE <= a.date_echeance THEN 'a_l_heure'
        WHEN r.premiere_reception_valide IS NOT NULL THEN 'en_retard'
        WHEN r.fichiers_rejetes > 0 THEN 'rejetee'
        WHEN a.date_echeance < (SELECT date_du_jour FROM parametres_qualite) THEN 'manquante'
        ELSE 'attendue'
    END AS statut,
    v.fichier AS fichier_en_vigueur,
    coalesce(v.lignes_recues, 0) AS lignes_recues,
    coalesce(v.lignes_acceptees, 0) AS lignes_acceptees,
    coalesce(v.lignes_quarantaine, 0) AS lignes_quarantaine,
    coalesce(v.avertissements, 0) AS avertissements,
    v.colonnes_supprimees,
    v.colonnes_absentes
FROM livraisons_attendues AS a
LEFT JOIN recus AS r USING (code_site, type_export, periode)
LEFT JOIN active AS v USING (code_site, type_export, periode);
