-- Figures as published (after statistical confidentiality): what a pack or the national report
-- showed, from which run, when. One row per figure each time its published text changes. Purges
-- never touch it: the old periods of trend charts and tables read it (docs/publication.md).
CREATE TABLE IF NOT EXISTS chiffres_publies (
    maille           VARCHAR   NOT NULL,
    code_zone        VARCHAR   NOT NULL,
    libelle_zone     VARCHAR,
    code_departement VARCHAR,
    code_disp        VARCHAR,
    type_periode     VARCHAR   NOT NULL,
    periode          VARCHAR   NOT NULL,
    indicateur       VARCHAR   NOT NULL,
    unite            VARCHAR,
    numerateur       DOUBLE,
    denominateur     DOUBLE,
    valeur           DOUBLE,
    texte            VARCHAR   NOT NULL,
    supprime         BOOLEAN   NOT NULL,
    statut           VARCHAR,
    run_id           VARCHAR   NOT NULL,
    date_publication TIMESTAMP NOT NULL,
    revision         VARCHAR              -- why a figure already published changed, if it did
);
