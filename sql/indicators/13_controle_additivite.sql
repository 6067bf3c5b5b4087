-- Additivity breaks, read by an asset check (empty when consistent): for every summed or ratio
-- indicator, each zone's numerator and denominator must equal the sums over its sites (equal up to
-- floating-point rounding for ETP), and a zone row must exist exactly when its sites have rows.
CREATE OR REPLACE VIEW controle_additivite AS
WITH additifs AS (
    SELECT i.*
    FROM indicateurs AS i
    JOIN catalogue_indicateurs AS c ON c.id = i.indicateur
    WHERE c.methode IN ('somme', 'rapport')
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
comparaison AS (
    SELECT
        maille,
        code_zone,
        type_periode,
        periode,
        indicateur,
        s.numerateur AS somme_numerateurs_sites,
        z.numerateur,
        s.denominateur AS somme_denominateurs_sites,
        z.denominateur,
        s.indicateur IS NOT NULL AND z.indicateur IS NOT NULL AS deux_cotes
    FROM sommes_sites AS s
    FULL JOIN additifs AS z USING (maille, code_zone, type_periode, periode, indicateur)
)
SELECT * EXCLUDE (deux_cotes)
FROM comparaison
WHERE NOT deux_cotes
    OR abs(coalesce(somme_numerateurs_sites, 0) - coalesce(numerateur, 0)) > 1e-9 * greatest(1, abs(numerateur))
    OR abs(coalesce(somme_denominateurs_sites, 0) - coalesce(denominateur, 0))
        > 1e-9 * greatest(1, abs(denominateur))
    OR (somme_numerateurs_sites IS NULL) <> (numerateur IS NULL)
    OR (somme_denominateurs_sites IS NULL) <> (denominateur IS NULL);
