-- Row-level findings of the active deliveries. Errors keep the row out of the raw tables
-- (the quarantine); warnings are kept for the steward's report. Never an identifier in `valeur`.
CREATE TABLE IF NOT EXISTS anomalies (
    sha256              VARCHAR   NOT NULL,
    fichier             VARCHAR   NOT NULL,
    code_site           VARCHAR   NOT NULL,
    type_export         VARCHAR   NOT NULL,
    periode             VARCHAR   NOT NULL,
    ligne               INTEGER   NOT NULL,
    regle               VARCHAR   NOT NULL,
    gravite             VARCHAR   NOT NULL,  -- erreur | avertissement
    colonne             VARCHAR,
    intitule            VARCHAR,  -- the file's heading of `colonne` where it differs (« Date de sortie »)
    valeur              VARCHAR,
    message             VARCHAR   NOT NULL,
    correction          VARCHAR   NOT NULL,
    atteinte_vie_privee BOOLEAN   NOT NULL,
    date_ingestion      TIMESTAMP NOT NULL
);

-- Warehouses made before the headings were kept.
ALTER TABLE anomalies ADD COLUMN IF NOT EXISTS intitule VARCHAR;

CREATE OR REPLACE VIEW quarantaine AS
SELECT * FROM anomalies WHERE gravite = 'erreur';
