-- Every additive measure of every open site and period (zeros included), with the export it is
-- computed from (`source`, for coverage; a follow-up cohort is made of the parcours' releases,
-- the sites referential is never missing): the site-level numerators and denominators that every
-- grain sums.
CREATE OR REPLACE TABLE mesures_sites AS
SELECT code_site, type_periode, periode, mesure, valeur, 'parcours' AS source FROM mesures_parcours
UNION ALL
SELECT code_site, type_periode, periode, mesure, valeur, 'parcours' FROM mesures_par_code
UNION ALL
SELECT code_site, type_periode, periode, mesure, valeur, 'parcours' FROM mesures_reincarceration
UNION ALL
SELECT code_site, type_periode, periode, mesure, valeur, 'parcours' FROM mesures_activite
UNION ALL
SELECT code_site, type_periode, periode, mesure, valeur, 'personnel' FROM mesures_personnel
UNION ALL
SELECT code_site, type_periode, periode, mesure, valeur, 'parcours' FROM mesures_cumul
UNION ALL
SELECT code_site, type_periode, periode, mesure, valeur, 'parcours' FROM mesures_suivi
UNION ALL
SELECT code_site, type_periode, periode, mesure, valeur, 'referentiel' FROM mesures_deploiement;
