-- Catalog sums and ratios whose measure (or denominator measure) no SQL model produces, read by
-- the build (empty when consistent): a typo in data_contracts/indicateurs.yaml would otherwise
-- publish an indicator that is always empty. Every site-level measure has a row for every open
-- site and period (zeros included), so the check holds once any site is open. Medians read
-- person-level observations, which a period may lack: they are not checked.
CREATE OR REPLACE VIEW controle_catalogue AS
WITH produites AS (
    SELECT DISTINCT mesure FROM mesures_sites
)
SELECT c.id, c.ordre
FROM catalogue_indicateurs AS c
WHERE c.methode IN ('somme', 'rapport')
    AND EXISTS (SELECT 1 FROM produites)
    AND (
        c.mesure NOT IN (SELECT mesure FROM produites)
        OR (c.mesure_denominateur IS NOT NULL
            AND c.mesure_denominateur NOT IN (SELECT mesure FROM produites))
    );
