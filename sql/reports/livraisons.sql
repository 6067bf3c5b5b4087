-- Every owed delivery (site × export × semester) with what the data-quality annexes print: the
-- site's label and parents, the status and its French label; `livree` when a file was accepted for
-- it (on time or late): the figures are computed from the deliveries that are.
SELECT
    s.code_site,
    z.libelle_zone AS libelle_site,
    s.code_departement,
    z.code_disp,
    s.type_export,
    s.periode,
    s.date_echeance,
    s.statut,
    s.premiere_reception_valide IS NOT NULL AS livree,
    r.libelle AS libelle_statut,
    s.fichiers_recus,
    s.fichiers_rejetes,
    s.lignes_recues,
    s.lignes_acceptees,
    s.lignes_quarantaine
FROM statut_livraisons AS s
JOIN zones AS z ON z.maille = 'site' AND z.code_zone = s.code_site
JOIN ref_statut_livraison AS r ON r.code = s.statut
ORDER BY s.code_departement, z.libelle_zone, s.periode, s.type_export;
