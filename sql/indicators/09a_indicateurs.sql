-- The indicator table every output reads: the computed figures, except those a retention purge
-- froze (indicateurs_geles, sql/schema/08_chiffres_geles.sql), which keep their value from before
-- the purge. By figure: an indicator added to the catalog after a purge is computed for the frozen
-- periods too, from the rows kept.
CREATE OR REPLACE TABLE indicateurs AS
SELECT * EXCLUDE (date_gel) FROM indicateurs_geles
UNION ALL BY NAME
SELECT c.*
FROM indicateurs_calcules AS c
ANTI JOIN indicateurs_geles AS g USING (maille, code_zone, type_periode, periode, indicateur)
ORDER BY maille, code_zone, type_periode, periode, indicateur;
