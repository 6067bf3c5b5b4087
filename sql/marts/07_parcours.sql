-- One row per pathway (site, person, entry date) in its latest known state: the row of the
-- latest semester file that lists it (exit columns are filled only in the semester of the exit).
-- Code flags come from the ref_* tables (codes.yaml), profile flags included (a woman, a remand
-- prisoner, no diploma; a diploma 'inconnu', like an empty cell, is not known). A profile flag is
-- NULL when the value is not known.
-- Key: code_site, identifiant, date_entree
CREATE OR REPLACE TABLE parcours AS
WITH dernier_etat AS (
    SELECT
        *,
        min(periode) OVER parcours AS premiere_periode,
        periode AS derniere_periode
    FROM stg_parcours
    WINDOW parcours AS (PARTITION BY code_site, identifiant, date_entree)
    QUALIFY row_number() OVER (
        PARTITION BY code_site, identifiant, date_entree ORDER BY periode DESC, ligne_source DESC
    ) = 1
),
heures AS (
    SELECT code_site, identifiant, date_entree, sum(heures_travaillees) AS heures_travaillees
    FROM parcours_periode
    GROUP BY ALL
)
SELECT
    e.code_site,
    e.identifiant,
    e.date_entree,
    e.date_sortie,
    e.premiere_periode,
    e.derniere_periode,
    e.sexe,
    e.annee_naissance,
    year(e.date_entree) - e.annee_naissance AS age_entree,
    e.statut_penal,
    e.quantum_peine_mois,
    e.niveau_diplome,
    e.date_orientation_cpu,
    e.motif_sortie,
    e.type_amenagement,
    e.situation_sortie,
    e.clea_obtenu,
    e.nb_formations,
    e.nb_pmsmp,
    e.accompagnement_post_sortie,
    e.mesure_suivi,
    h.heures_travaillees,
    coalesce(m.liberation, false) AS est_liberation,
    CASE WHEN m.liberation THEN s.groupe END AS groupe_situation_sortie,
    coalesce(m.liberation AND s.emploi_formation, false) AS sortie_emploi_formation,
    coalesce(m.liberation AND g.dynamique, false) AS sortie_dynamique,
    sx.femme AS est_femme,
    year(e.date_entree) - e.annee_naissance < 26 AS moins_26_ans,
    d.sans_diplome,
    e.quantum_peine_mois NOT BETWEEN 4 AND 36 AS quantum_hors_4_36,
    sp.prevenu AS est_prevenu
FROM dernier_etat AS e
LEFT JOIN heures AS h USING (code_site, identifiant, date_entree)
LEFT JOIN ref_motif_sortie AS m ON m.code = e.motif_sortie
LEFT JOIN ref_situation_sortie AS s ON s.code = e.situation_sortie
LEFT JOIN ref_groupe_situation_sortie AS g ON g.code = s.groupe
LEFT JOIN ref_sexe AS sx ON sx.code = e.sexe
LEFT JOIN ref_statut_penal AS sp ON sp.code = e.statut_penal
LEFT JOIN ref_niveau_diplome AS d ON d.code = e.niveau_diplome;
