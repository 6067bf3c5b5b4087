-- Results since each site opened, by entry cohort (the press dossier's « depuis juin 2017, 73
-- personnes ont intégré… 21… 24 »): for each site and period, the pathways entered since the site
-- opened up to the period's last day ('entrees_cumulees') and what had become of them on that day:
-- still open ('cumul_presents'), ended by a return to ordinary detention
-- ('cumul_retours_detention_ordinaire', the press dossier's category names this code), by a release
-- into a job or training ('cumul_sorties_emploi_formation'), or otherwise ('cumul_autres_sorties');
-- the four add up to the entries. Pathways purged for retention still count, from the tally the
-- purge leaves (parcours_purges): all had ended before its limit date, so they count in every
-- period ending on or after the day before it. Stocks: a year's value is its last day's.
CREATE OR REPLACE VIEW mesures_cumul AS
WITH issues AS (
    SELECT code_site, date_entree, date_sortie, motif_sortie, situation_sortie, 1 AS parcours
    FROM parcours
    UNION ALL
    SELECT code_site, CAST(date_limite - 1 AS DATE), CAST(date_limite - 1 AS DATE), motif_sortie,
        situation_sortie, parcours
    FROM parcours_purges
),
cumuls AS (
    SELECT
        sp.code_site,
        sp.type_periode,
        sp.periode,
        coalesce(sum(i.parcours), 0) AS entrees_cumulees,
        coalesce(sum(i.parcours) FILTER (WHERE i.date_sortie IS NULL OR i.date_sortie > sp.fin), 0)
            AS cumul_presents,
        coalesce(sum(i.parcours) FILTER (
            WHERE i.date_sortie <= sp.fin AND i.motif_sortie = 'retour_detention_ordinaire'
        ), 0) AS cumul_retours_detention_ordinaire,
        coalesce(sum(i.parcours) FILTER (
            WHERE i.date_sortie <= sp.fin AND m.liberation AND s.emploi_formation
        ), 0) AS cumul_sorties_emploi_formation,
        entrees_cumulees - cumul_presents - cumul_retours_detention_ordinaire
            - cumul_sorties_emploi_formation AS cumul_autres_sorties
    FROM sites_periodes AS sp
    LEFT JOIN issues AS i ON i.code_site = sp.code_site AND i.date_entree <= sp.fin
    LEFT JOIN ref_motif_sortie AS m ON m.code = i.motif_sortie
    LEFT JOIN ref_situation_sortie AS s ON s.code = i.situation_sortie
    GROUP BY sp.code_site, sp.type_periode, sp.periode
)
SELECT code_site, type_periode, periode, mesure, CAST(valeur AS DOUBLE) AS valeur
FROM (
    UNPIVOT cumuls
    ON entrees_cumulees, cumul_presents, cumul_retours_detention_ordinaire,
        cumul_sorties_emploi_formation, cumul_autres_sorties
    INTO NAME mesure VALUE valeur
);
