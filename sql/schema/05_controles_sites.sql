-- Failing rules by site and export type, in force now: row findings of the active deliveries, and
-- refusals of files that are still the latest sent for their (site, type, period). Feeds the
-- per-site contract checks shown in Dagster and the steward's reports.
CREATE OR REPLACE VIEW controles_sites AS
WITH derniers_envois AS (
    SELECT
        code_site,
        type_export,
        periode,
        arg_max(statut, date_reception) AS statut,
        arg_max(regle_rejet, date_reception) AS regle_rejet
    FROM livraisons
    WHERE code_site IS NOT NULL AND type_export IS NOT NULL AND statut <> 'doublon'
    GROUP BY ALL
)
SELECT
    code_site,
    type_export,
    regle,
    gravite,
    count(DISTINCT fichier || ':' || ligne) AS occurrences,
    list(DISTINCT periode ORDER BY periode) AS periodes
FROM anomalies
GROUP BY ALL
UNION ALL
SELECT
    code_site,
    type_export,
    regle_rejet AS regle,
    'fichier_refuse' AS gravite,
    count(*) AS occurrences,
    list(DISTINCT periode ORDER BY periode) AS periodes
FROM derniers_envois
WHERE statut = 'rejetee'
GROUP BY ALL;
