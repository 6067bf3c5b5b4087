-- Who may be followed after release at a site: people with a pathway there under a judicial
-- follow-up measure (docs/exports.md, `suivi`). Read by the `suivi` contract's privacy rule.
CREATE OR REPLACE VIEW parcours_avec_mesure_suivi AS
SELECT DISTINCT code_site, identifiant
FROM raw_parcours
WHERE mesure_suivi;
