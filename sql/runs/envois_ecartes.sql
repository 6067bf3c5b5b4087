-- The files one run refused or held for confirmation, with the reason and what to do: the command
-- line names each of them at the end of the ingest.
SELECT fichier, statut, motif_rejet, correction_rejet
FROM livraisons
WHERE run_id = $run_id AND statut IN ('rejetee', 'a_confirmer')
ORDER BY statut DESC, fichier;
