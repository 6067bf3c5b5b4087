-- The secrecy audit's findings for each state of the published figures (reports/disclosure_audit.py,
-- docs/publication.md): `empreinte` identifies the hidden and shown counts and their relations.
-- The blocking check runs before every publication; a state already audited is read back here
-- (the audit of the national demo takes about 20 s) instead of being audited again.
CREATE TABLE IF NOT EXISTS audits_secret (
    empreinte    VARCHAR PRIMARY KEY,
    passe        BOOLEAN NOT NULL,
    description  VARCHAR NOT NULL,
    examines     BIGINT NOT NULL,
    retrouvables BIGINT NOT NULL,
    non_prouves  BIGINT NOT NULL,
    duree_s      DOUBLE NOT NULL,
    date_audit   TIMESTAMP NOT NULL
);
