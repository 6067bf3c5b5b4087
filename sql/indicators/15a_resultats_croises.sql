-- The analysts' cross-tab: computed, except the periods a retention purge froze
-- (resultats_croises_geles, sql/schema/08_chiffres_geles.sql), taken whole from before the purge.
CREATE OR REPLACE TABLE resultats_croises AS
SELECT * EXCLUDE (date_gel) FROM resultats_croises_geles
UNION ALL BY NAME
SELECT c.*
FROM resultats_croises_calcules AS c
ANTI JOIN (SELECT DISTINCT type_periode, periode FROM resultats_croises_geles) AS g
    USING (type_periode, periode)
ORDER BY ALL;
