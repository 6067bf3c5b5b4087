-- Register of every file received: one row per (file name, content). The active row of a
-- (site, type, period) is the delivery whose rows are in the raw tables. A correction that drops
-- many rows is registered `a_confirmer` and never active: the delivery in force stays.
CREATE TABLE IF NOT EXISTS livraisons (
    sha256              VARCHAR   NOT NULL,
    fichier             VARCHAR   NOT NULL,
    code_site           VARCHAR,
    type_export         VARCHAR,
    periode             VARCHAR,
    date_reception      TIMESTAMP NOT NULL,
    date_ingestion      TIMESTAMP NOT NULL,
    statut              VARCHAR   NOT NULL,  -- acceptee | rejetee | remplacee | doublon | a_confirmer
    active              BOOLEAN   NOT NULL,
    regle_rejet         VARCHAR,
    motif_rejet         VARCHAR,
    correction_rejet    VARCHAR,
    ligne_rejet         INTEGER,
    colonne_rejet       VARCHAR,
    lignes_recues       INTEGER,
    lignes_acceptees    INTEGER,
    lignes_quarantaine  INTEGER,
    avertissements      INTEGER,
    colonnes_supprimees VARCHAR[],
    colonnes_absentes   VARCHAR[],
    encodage            VARCHAR,
    separateur          VARCHAR,
    version_contrat     VARCHAR,
    run_id              VARCHAR
);
