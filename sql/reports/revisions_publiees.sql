-- Revisions already published by the packs of one edition ($edition: the semester or year the packs
-- are for), from its first publication on: a revised figure is shown as revised until the next
-- edition, not only by the run that found it. The published text before the revision and its date
-- come from the version the revision replaced.
WITH versions AS (
    SELECT
        *,
        lag(texte) OVER versions_du_chiffre AS texte_avant,
        lag(date_publication) OVER versions_du_chiffre AS date_avant
    FROM chiffres_publies
    WHERE type_periode = $type_periode
    WINDOW versions_du_chiffre AS (
        PARTITION BY maille, code_zone, periode, indicateur ORDER BY date_publication
    )
)
SELECT
    maille,
    code_zone,
    periode,
    indicateur,
    libelle_zone,
    texte_avant AS texte_publie,
    date_avant AS date_publication,
    texte,
    revision
FROM versions
WHERE revision IS NOT NULL
  AND date_publication >= (SELECT min(date_publication) FROM chiffres_publies WHERE periode = $edition)
QUALIFY row_number() OVER (
    PARTITION BY maille, code_zone, periode, indicateur ORDER BY date_publication DESC
) = 1;
