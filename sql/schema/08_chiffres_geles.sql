-- Indicators of the periods a retention purge reached, as they were just before it (docs/conservation.md).
-- A purge removes the person-level rows of pathways ended before its limit: recomputed, the figures
-- of every period starting before the limit would shrink (national 2019 entries 392 → 8). The
-- purge first copies those periods' rows here, with its date; the indicator models then read them
-- instead of the recomputed ones (sql/indicators/09a_indicateurs.sql, 15a_resultats_croises.sql),
-- so that every output — dashboard, national report, packs, analysts' copy — keeps them. Never
-- purged, kept in the backup; a period frozen once is never frozen again (its first copy is the
-- complete one).
CREATE TABLE IF NOT EXISTS indicateurs_geles (
    maille              VARCHAR NOT NULL,
    code_zone           VARCHAR NOT NULL,
    type_periode        VARCHAR NOT NULL,
    periode             VARCHAR NOT NULL,
    indicateur          VARCHAR NOT NULL,
    numerateur          DOUBLE,
    denominateur        DOUBLE,
    valeur              DOUBLE,
    mesurable           BOOLEAN,
    motif_non_mesurable VARCHAR,
    sites_ouverts       BIGINT,
    sites_couverts      BIGINT,
    date_gel            DATE    NOT NULL
);

CREATE TABLE IF NOT EXISTS resultats_croises_geles (
    code_site                   VARCHAR NOT NULL,
    type_periode                VARCHAR NOT NULL,
    periode                     VARCHAR NOT NULL,
    tranche_age                 VARCHAR,
    niveau_diplome              VARCHAR,
    tranche_quantum             VARCHAR,
    amenagement                 VARCHAR,
    entrees                     BIGINT,
    sorties                     BIGINT,
    liberations                 BIGINT,
    retours_detention_ordinaire BIGINT,
    autres_sorties              BIGINT,
    sorties_emploi_formation    BIGINT,
    sorties_dynamiques          BIGINT,
    sorties_clea                BIGINT,
    presents_fin                BIGINT,
    personnes_liberees          BIGINT,
    reincarcerees_6m            BIGINT,
    reincarcerees_12m           BIGINT,
    date_gel                    DATE    NOT NULL
);
