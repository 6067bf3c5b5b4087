-- Facts about the warehouse itself, e.g. the fingerprint of the hashing key it was built with.
CREATE TABLE IF NOT EXISTS parametres (
    nom    VARCHAR NOT NULL,
    valeur VARCHAR NOT NULL
);
