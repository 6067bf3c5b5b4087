-- Before the rows go: freeze the figures of every period starting before the purge limit (the only
-- periods the rows purged count in: a pathway purged ended before the limit), unless an earlier
-- purge froze them already (its copy is the complete one). Reads the models of the last build.
INSERT INTO indicateurs_geles BY NAME
SELECT i.*, current_date AS date_gel
FROM indicateurs AS i
JOIN periodes AS p USING (type_periode, periode)
WHERE p.debut < (SELECT date_limite FROM parametres_conservation)
  AND NOT EXISTS (
      SELECT 1 FROM indicateurs_geles AS g
      WHERE (g.maille, g.code_zone, g.type_periode, g.periode, g.indicateur)
          = (i.maille, i.code_zone, i.type_periode, i.periode, i.indicateur)
  );

INSERT INTO resultats_croises_geles BY NAME
SELECT r.*, current_date AS date_gel
FROM resultats_croises AS r
JOIN periodes AS p USING (type_periode, periode)
WHERE p.debut < (SELECT date_limite FROM parametres_conservation)
  AND (r.type_periode, r.periode) NOT IN (SELECT type_periode, periode FROM resultats_croises_geles);
