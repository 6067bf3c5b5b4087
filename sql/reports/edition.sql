-- What every publication states about its data: the last day site data cover, the last day the
-- national re-incarceration extract covers (NULL when none), and the periods delivered.
SELECT
    date_reference_donnees,
    date_reference_reincarcerations,
    premiere_periode,
    derniere_periode
FROM date_reference;
