-- Values whose medians or distinct counts are indicators, by site and period: days from CPU
-- orientation to entry (entries of the period with a known orientation date), days from entry to
-- exit (exits of the period), among the pathways the period's files list (parcours_listes);
-- tenure of the staff present on the period's last day (days from arrival to that day; all staff
-- and by role), and the prison of each site open on the period's
-- last day (a number per prison of the sites referential: its distinct count is the number of
-- prisons covered, a prison with two workshops counting once); with the export each comes from
-- (`source`, for coverage).
CREATE OR REPLACE VIEW observations AS
SELECT sp.code_site, sp.type_periode, sp.periode, 'delai_orientation_entree' AS mesure,
    date_diff('day', p.date_orientation_cpu, p.date_entree) AS valeur, 'parcours' AS source
FROM sites_periodes AS sp
JOIN parcours_listes AS p
    ON p.code_site = sp.code_site AND p.type_periode = sp.type_periode AND p.periode = sp.periode
    AND p.date_entree BETWEEN sp.debut AND sp.fin
WHERE p.date_orientation_cpu IS NOT NULL
UNION ALL
SELECT sp.code_site, sp.type_periode, sp.periode, 'duree_parcours',
    date_diff('day', p.date_entree, p.date_sortie), 'parcours'
FROM sites_periodes AS sp
JOIN parcours_listes AS p
    ON p.code_site = sp.code_site AND p.type_periode = sp.type_periode AND p.periode = sp.periode
    AND p.date_sortie BETWEEN sp.debut AND sp.fin
UNION ALL
SELECT sp.code_site, sp.type_periode, sp.periode,
    unnest(['anciennete_personnel', 'anciennete_personnel_' || s.fonction]),
    date_diff('day', s.date_arrivee, sp.fin), 'personnel'
FROM sites_periodes AS sp
JOIN personnel_periodes AS s
    ON s.code_site = sp.code_site
    AND s.type_periode = sp.type_periode
    AND s.periode = sp.periode
    AND s.date_arrivee <= sp.fin
    AND (s.date_depart IS NULL OR s.date_depart > sp.fin)
UNION ALL
SELECT sp.code_site, sp.type_periode, sp.periode, 'etablissement_couvert', e.numero, 'referentiel'
FROM sites_periodes AS sp
JOIN ref_sites AS r USING (code_site)
JOIN (
    SELECT etablissement, row_number() OVER (ORDER BY etablissement) AS numero
    FROM ref_sites
    GROUP BY etablissement
) AS e USING (etablissement)
WHERE sp.ouvert_fin;
