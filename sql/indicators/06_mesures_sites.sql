-- Every additive measure of every open site and period (zeros included): the site-level
-- numerators and denominators that every grain sums.
CREATE OR REPLACE TABLE mesures_sites AS
SELECT code_site, type_periode, periode, mesure, valeur FROM mesures_parcours
UNION ALL
SELECT code_site, type_periode, periode, mesure, valeur FROM mesures_par_code
UNION ALL
SELECT code_site, type_periode, periode, mesure, valeur FROM mesures_reincarceration
UNION ALL
SELECT code_site, type_periode, periode, mesure, valeur FROM mesures_activite
UNION ALL
SELECT code_site, type_periode, periode, mesure, valeur FROM mesures_personnel
UNION ALL
SELECT code_site, type_periode, periode, mesure, valeur FROM mesures_cumul
UNION ALL
SELECT code_site, type_periode, periode, mesure, valeur FROM mesures_suivi
UNION ALL
SELECT code_site, type_periode, periode, mesure, valeur FROM mesures_deploiement;
