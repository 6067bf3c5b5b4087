-- Each pathway in each period whose files list it (a semester's file, or a year's semester
-- files), in its latest known state. Every count and median over pathways reads this: a pathway
-- last seen open before a missing delivery is not carried over into later periods as if still
-- present, and a period's counts and the observations behind its medians are the same people.
-- Key: code_site, identifiant, date_entree, periode
CREATE OR REPLACE TABLE parcours_listes AS
WITH listes AS (
    SELECT DISTINCT sp.code_site, sp.type_periode, sp.periode, pp.identifiant, pp.date_entree
    FROM sites_periodes AS sp
    JOIN periodes AS s ON s.type_periode = 'semestre' AND s.debut BETWEEN sp.debut AND sp.fin
    JOIN parcours_periode AS pp ON pp.code_site = sp.code_site AND pp.periode = s.periode
)
SELECT p.*, l.type_periode, l.periode
FROM listes AS l
JOIN parcours AS p USING (code_site, identifiant, date_entree);
