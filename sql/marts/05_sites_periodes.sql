-- Each site in each period it was open (dates of the sites referential, closing day included),
-- with its contracted ETP prorated by the share of the period it was open and whether it is still
-- open on the period's last day. These are the rows that get indicators, zeros included.
-- Ingestion rejects deliveries outside a site's window.
-- Key: code_site, periode
CREATE OR REPLACE TABLE sites_periodes AS
SELECT
    s.code_site,
    p.type_periode,
    p.periode,
    p.debut,
    p.fin,
    p.jours,
    p.part_annee,
    date_diff('day', greatest(p.debut, s.date_ouverture), least(p.fin, coalesce(s.date_fermeture, p.fin))) + 1
        AS jours_ouverture,
    s.etp_conventionnes * jours_ouverture / p.jours AS etp_conventionnes,
    s.date_fermeture IS NULL OR s.date_fermeture >= p.fin AS ouvert_fin
FROM ref_sites AS s
JOIN periodes AS p
    ON s.date_ouverture <= p.fin
    AND (s.date_fermeture IS NULL OR s.date_fermeture >= p.debut);
