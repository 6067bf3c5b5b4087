-- Person-level values whose medians are indicators, by site and period: days from CPU orientation
-- to entry (entries of the period with a known orientation date), days from entry to exit (exits of
-- the period), and tenure of the staff present on the period's last day (days from arrival to that
-- day); with the export each comes from (`source`, for coverage).
CREATE OR REPLACE VIEW observations AS
SELECT sp.code_site, sp.type_periode, sp.periode, 'delai_orientation_entree' AS mesure,
    date_diff('day', p.date_orientation_cpu, p.date_entree) AS valeur, 'parcours' AS source
FROM sites_periodes AS sp
JOIN parcours AS p ON p.code_site = sp.code_site AND p.date_entree BETWEEN sp.debut AND sp.fin
WHERE p.date_orientation_cpu IS NOT NULL
UNION ALL
SELECT sp.code_site, sp.type_periode, sp.periode, 'duree_parcours',
    date_diff('day', p.date_entree, p.date_sortie), 'parcours'
FROM sites_periodes AS sp
JOIN parcours AS p ON p.code_site = sp.code_site AND p.date_sortie BETWEEN sp.debut AND sp.fin
UNION ALL
SELECT sp.code_site, sp.type_periode, sp.periode, 'anciennete_personnel',
    date_diff('day', s.date_arrivee, sp.fin), 'personnel'
FROM sites_periodes AS sp
JOIN personnel AS s
    ON s.code_site = sp.code_site
    AND s.date_arrivee <= sp.fin
    AND (s.date_depart IS NULL OR s.date_depart > sp.fin);
