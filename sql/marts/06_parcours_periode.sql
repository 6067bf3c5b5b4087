-- Hours worked by pathway and semester: each semester's file reports that semester's hours only,
-- so a pathway's hours are the sum over the files that list it. A line repeated in one file is
-- counted once (the last one).
-- Key: code_site, identifiant, date_entree, periode
CREATE OR REPLACE TABLE parcours_periode AS
SELECT code_site, identifiant, date_entree, periode, heures_travaillees
FROM stg_parcours
QUALIFY row_number() OVER (
    PARTITION BY code_site, identifiant, date_entree, periode ORDER BY ligne_source DESC
) = 1;
