-- Permanent staff by site and period: headcount present on the first and the last day (same rule
-- as pathways: the leaving day is not a day present), their mean, and departures in the period.
CREATE OR REPLACE VIEW mesures_personnel AS
UNPIVOT (
    SELECT
        sp.code_site,
        sp.type_periode,
        sp.periode,
        count(s.identifiant_salarie) FILTER (
            WHERE s.date_arrivee <= sp.debut AND (s.date_depart IS NULL OR s.date_depart > sp.debut)
        ) AS personnel_debut,
        count(s.identifiant_salarie) FILTER (WHERE s.date_depart IS NULL OR s.date_depart > sp.fin)
            AS personnel_fin,
        (personnel_debut + personnel_fin) / 2 AS personnel_moyen,
        count(s.identifiant_salarie) FILTER (WHERE s.date_depart <= sp.fin) AS departs_personnel
    FROM sites_periodes AS sp
    LEFT JOIN personnel AS s
        ON s.code_site = sp.code_site
        AND s.date_arrivee <= sp.fin
        AND (s.date_depart IS NULL OR s.date_depart >= sp.debut)
    GROUP BY sp.code_site, sp.type_periode, sp.periode
) ON COLUMNS(* EXCLUDE (code_site, type_periode, periode)) INTO NAME mesure VALUE valeur;
