-- Site-level counts over pathways, by period. An event is counted in the period where it happens;
-- only pathways open at some time in the period can have one, so a single range join serves every
-- count. "Open on day d": entered on or before d and not exited on or before d (the exit day is not
-- a day present), for the first day (presents_debut) as for the last (presents_fin).
-- A pathway counts in a period only if a file of the period lists it (parcours_listes).
-- count(p.identifiant) ignores the empty row a site without pathways gets from the LEFT JOIN: zeros.
-- Profile shares are over entries whose value is known (flags are NULL when it is not).
-- Training and qualification are read at the exit: a file gives a pathway's CléA, trainings and
-- PMSMP so far (not dated events), so an exit's values are its pathway's final ones, counted once,
-- in the period of the exit; their rates are over the exits of the period where the value is given.
CREATE OR REPLACE VIEW mesures_parcours AS
UNPIVOT (
    SELECT
        sp.code_site,
        sp.type_periode,
        sp.periode,
        count(p.identifiant) AS file_active,
        count(p.identifiant) FILTER (WHERE p.date_entree >= sp.debut) AS entrees,
        count(p.identifiant) FILTER (WHERE p.date_sortie <= sp.fin) AS sorties,
        count(p.identifiant) FILTER (WHERE p.date_sortie <= sp.fin AND p.est_liberation) AS liberations,
        count(p.identifiant) FILTER (WHERE p.date_sortie <= sp.fin AND p.sortie_emploi_formation)
            AS sorties_emploi_formation,
        count(p.identifiant) FILTER (WHERE p.date_sortie <= sp.fin AND p.sortie_dynamique)
            AS liberations_dynamiques,
        count(p.identifiant) FILTER (
            WHERE p.date_sortie <= sp.fin AND p.est_liberation AND p.accompagnement_post_sortie
        ) AS liberations_accompagnees,
        count(p.identifiant) FILTER (WHERE p.date_sortie <= sp.fin AND p.clea_obtenu IS NOT NULL)
            AS sorties_clea_renseigne,
        count(p.identifiant) FILTER (WHERE p.date_sortie <= sp.fin AND p.clea_obtenu) AS sorties_clea,
        count(p.identifiant) FILTER (WHERE p.date_sortie <= sp.fin AND p.nb_formations IS NOT NULL)
            AS sorties_formations_renseignees,
        count(p.identifiant) FILTER (WHERE p.date_sortie <= sp.fin AND p.nb_formations > 0)
            AS sorties_formees,
        coalesce(sum(p.nb_formations) FILTER (WHERE p.date_sortie <= sp.fin), 0) AS formations_sorties,
        count(p.identifiant) FILTER (WHERE p.date_sortie <= sp.fin AND p.nb_pmsmp IS NOT NULL)
            AS sorties_pmsmp_renseignees,
        count(p.identifiant) FILTER (WHERE p.date_sortie <= sp.fin AND p.nb_pmsmp > 0) AS sorties_pmsmp,
        coalesce(sum(p.nb_pmsmp) FILTER (WHERE p.date_sortie <= sp.fin), 0) AS pmsmp_sorties,
        count(p.identifiant) FILTER (
            WHERE p.date_entree <= sp.debut AND (p.date_sortie IS NULL OR p.date_sortie > sp.debut)
        ) AS presents_debut,
        count(p.identifiant) FILTER (WHERE p.date_sortie IS NULL OR p.date_sortie > sp.fin) AS presents_fin,
        (presents_debut + presents_fin) / 2 AS presents_moyens,
        count(p.identifiant) FILTER (WHERE p.date_entree >= sp.debut AND p.date_orientation_cpu IS NOT NULL)
            AS entrees_orientation_connue,
        count(p.identifiant) FILTER (WHERE p.date_entree >= sp.debut AND p.est_femme) AS entrees_femmes,
        count(p.identifiant) FILTER (WHERE p.date_entree >= sp.debut AND p.moins_26_ans IS NOT NULL)
            AS entrees_age_connu,
        count(p.identifiant) FILTER (WHERE p.date_entree >= sp.debut AND p.moins_26_ans)
            AS entrees_moins_26_ans,
        count(p.identifiant) FILTER (WHERE p.date_entree >= sp.debut AND p.sans_diplome IS NOT NULL)
            AS entrees_diplome_connu,
        count(p.identifiant) FILTER (WHERE p.date_entree >= sp.debut AND p.sans_diplome)
            AS entrees_sans_diplome,
        count(p.identifiant) FILTER (WHERE p.date_entree >= sp.debut AND p.quantum_hors_4_36 IS NOT NULL)
            AS entrees_quantum_connu,
        count(p.identifiant) FILTER (WHERE p.date_entree >= sp.debut AND p.quantum_hors_4_36)
            AS entrees_quantum_hors_4_36,
        count(p.identifiant) FILTER (WHERE p.date_entree >= sp.debut AND p.est_prevenu IS NOT NULL)
            AS entrees_statut_connu,
        count(p.identifiant) FILTER (WHERE p.date_entree >= sp.debut AND p.est_prevenu) AS entrees_prevenus
    FROM sites_periodes AS sp
    LEFT JOIN parcours_listes AS p
        ON p.code_site = sp.code_site
        AND p.type_periode = sp.type_periode
        AND p.periode = sp.periode
        AND p.date_entree <= sp.fin
        AND (p.date_sortie IS NULL OR p.date_sortie >= sp.debut)
    GROUP BY sp.code_site, sp.type_periode, sp.periode
) ON COLUMNS(* EXCLUDE (code_site, type_periode, periode)) INTO NAME mesure VALUE valeur;
