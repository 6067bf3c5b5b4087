-- Deployment, from the sites referential: whether the site is open on the period's last day
-- ('sites_ouverts', 1 or 0) and its contracted posts prorated by its days open in the period
-- ('postes_conventionnes': an average over the period, like etp_realises). Unlike the occupancy
-- denominator (mesures_activite), these posts count whether or not the site delivered its exports.
CREATE OR REPLACE VIEW mesures_deploiement AS
UNPIVOT (
    SELECT
        code_site,
        type_periode,
        periode,
        CAST(ouvert_fin AS DOUBLE) AS sites_ouverts,
        CAST(etp_conventionnes AS DOUBLE) AS postes_conventionnes
    FROM sites_periodes
) ON sites_ouverts, postes_conventionnes INTO NAME mesure VALUE valeur;
