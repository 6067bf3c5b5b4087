-- The files set aside that the command line names at the end of a run: those this run refused or
-- held for confirmation, then those of earlier runs that still wait for the site (`cette_execution`
-- false), whose list is the national quality page's.
SELECT fichier, statut, motif_rejet, correction_rejet, run_id = $run_id AS cette_execution
FROM envois_ecartes
WHERE run_id = $run_id OR en_attente
ORDER BY cette_execution DESC, statut DESC, fichier;
