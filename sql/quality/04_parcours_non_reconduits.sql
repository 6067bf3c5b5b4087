-- Pathways open at the end of a semester that the site's next pathway file no longer lists: the
-- person left and the exit was never typed, the line was left out, or it is in quarantine. Until
-- the file lists it, such a pathway counts among those still present since opening but not among
-- the present at the end. Listed on the site's page of the later semester with the earlier file's
-- line (no identifier); nothing in the indicators changes. Only semesters whose pathway file is
-- in force are compared.
-- Key: code_site, periode, fichier_precedent, ligne_precedente
CREATE OR REPLACE TABLE parcours_non_reconduits AS
WITH fichiers AS (
    SELECT DISTINCT code_site, periode
    FROM raw_parcours
)
SELECT
    f.code_site,
    f.periode,
    p.periode AS periode_precedente,
    p.fichier_source AS fichier_precedent,
    p.ligne_source AS ligne_precedente,
    p.date_entree
FROM fichiers AS f
JOIN raw_parcours AS p
    ON p.code_site = f.code_site
    AND semestre_indice(p.periode) = semestre_indice(f.periode) - 1
WHERE p.date_sortie IS NULL
    AND NOT EXISTS (
        SELECT 1
        FROM raw_parcours AS suivant
        WHERE suivant.code_site = f.code_site
            AND suivant.periode = f.periode
            AND suivant.identifiant = p.identifiant
            AND suivant.date_entree = p.date_entree
    );
