-- One row per zone and period, one column per indicator (its value), for reports and charts.
-- A table, not a view: DuckDB builds a PIVOT's columns from the data only outside views. Counts to
-- be suppressed and rates' denominators are read from `indicateurs`.
CREATE OR REPLACE TABLE indicateurs_larges AS
PIVOT (
    SELECT i.maille, i.code_zone, z.libelle_zone, i.type_periode, i.periode, i.indicateur, i.valeur
    FROM indicateurs AS i
    JOIN zones AS z ON z.maille = i.maille AND z.code_zone = i.code_zone
)
ON indicateur
USING first(valeur)
GROUP BY maille, code_zone, libelle_zone, type_periode, periode
ORDER BY maille, code_zone, type_periode, periode;
