-- What the retention purge removed from raw_parcours, as counts (never a person): pathways by site
-- and by how they ended, with the limit date of the purge that removed them (they had all ended
-- before it). Never purged, so that results since a site's opening keep counting them
-- (sql/indicators/05a_mesures_cumul.sql).
CREATE TABLE IF NOT EXISTS parcours_purges (
    code_site        VARCHAR NOT NULL,
    date_limite      DATE    NOT NULL,
    motif_sortie     VARCHAR,
    situation_sortie VARCHAR,
    parcours         BIGINT  NOT NULL
);
