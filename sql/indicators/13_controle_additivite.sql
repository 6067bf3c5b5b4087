-- Additivity breaks, read by an asset check (empty when consistent): for every summed or ratio
-- indicator, each zone's numerator and denominator must equal the sums over its sites (equal up to
-- floating-point rounding for ETP), and a zone row must exist exactly when its sites have rows.
-- A year read from its semesters (regles_annee: a flow, a last-day stock) must instead equal what
-- the zone's semesters give: a site that delivered one semester of the year counts in it, without
-- a year of its own. A rate whose other measure needs the whole year adds up the sites that
-- delivered it, above and below the line (regles_annee_indicateurs): its sites' sum.
CREATE OR REPLACE VIEW controle_additivite AS
WITH additifs AS (
    SELECT i.*, r.regle_numerateur, r.regle_denominateur
    FROM indicateurs AS i
    JOIN regles_annee_indicateurs AS r USING (indicateur)
),
sommes_sites AS (
    SELECT
        zs.maille,
        zs.code_zone,
        a.type_periode,
        a.periode,
        a.indicateur,
        sum(a.numerateur) AS numerateur,
        sum(a.denominateur) AS denominateur
    FROM additifs AS a
    JOIN zones_sites AS zs ON zs.code_site = a.code_zone
    WHERE a.maille = 'site'
    GROUP BY zs.maille, zs.code_zone, a.type_periode, a.periode, a.indicateur
),
sommes_semestres AS (
    SELECT
        a.maille,
        a.code_zone,
        y.type_periode,
        y.periode,
        a.indicateur,
        sum(a.numerateur) FILTER (WHERE compte_dans_annee(a.regle_numerateur, p.fin, y.fin)) AS numerateur,
        sum(a.denominateur) FILTER (WHERE compte_dans_annee(a.regle_denominateur, p.fin, y.fin))
            AS denominateur
    FROM additifs AS a
    JOIN periodes AS p USING (type_periode, periode)
    JOIN periodes AS y ON y.type_periode = 'annee' AND y.annee = p.annee
    WHERE a.type_periode = 'semestre'
    GROUP BY ALL
),
comparaison AS (
    SELECT
        maille,
        code_zone,
        type_periode,
        periode,
        indicateur,
        CASE WHEN z.regle_numerateur IS NOT NULL AND z.numerateur IS NOT NULL
            THEN coalesce(y.numerateur, s.numerateur) ELSE s.numerateur END AS somme_numerateurs_sites,
        z.numerateur,
        CASE WHEN z.regle_denominateur IS NOT NULL AND z.denominateur IS NOT NULL
            THEN coalesce(y.denominateur, s.denominateur) ELSE s.denominateur END AS somme_denominateurs_sites,
        z.denominateur,
        s.indicateur IS NOT NULL AND z.indicateur IS NOT NULL AS deux_cotes
    FROM sommes_sites AS s
    FULL JOIN additifs AS z USING (maille, code_zone, type_periode, periode, indicateur)
    LEFT JOIN sommes_semestres AS y USING (maille, code_zone, type_periode, periode, indicateur)
)
SELECT * EXCLUDE (deux_cotes)
FROM comparaison
WHERE NOT deux_cotes
    OR abs(coalesce(somme_numerateurs_sites, 0) - coalesce(numerateur, 0)) > 1e-9 * greatest(1, abs(numerateur))
    OR abs(coalesce(somme_denominateurs_sites, 0) - coalesce(denominateur, 0))
        > 1e-9 * greatest(1, abs(denominateur))
    OR (somme_numerateurs_sites IS NULL) <> (numerateur IS NULL)
    OR (somme_denominateurs_sites IS NULL) <> (denominateur IS NULL);
