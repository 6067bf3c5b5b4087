-- One row per staff member's stay on a site (site, person, arrival date), in its latest known
-- state: the row of the latest semester file that lists it.
-- Key: code_site, identifiant_salarie, date_arrivee
CREATE OR REPLACE TABLE personnel AS
SELECT
    code_site,
    identifiant_salarie,
    date_arrivee,
    date_depart,
    fonction,
    etp,
    periode AS derniere_periode
FROM stg_personnel
QUALIFY row_number() OVER (
    PARTITION BY code_site, identifiant_salarie, date_arrivee ORDER BY periode DESC, ligne_source DESC
) = 1;
