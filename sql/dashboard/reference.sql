-- What the page states about its data: how far site data and re-incarcerations go, and when the
-- latest delivery in force arrived.
SELECT
    r.premiere_periode,
    r.derniere_periode,
    r.date_reference_donnees,
    r.date_reference_reincarcerations,
    (SELECT max(l.date_reception)::DATE FROM livraisons AS l WHERE l.active) AS derniere_reception
FROM date_reference AS r;
