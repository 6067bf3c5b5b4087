-- The follow-up lines this run rejected as privacy violations (never stored), by file: the command
-- line counts them at the end of a run, beside the files set aside.
SELECT a.fichier, count(DISTINCT a.ligne) AS lignes
FROM anomalies AS a
WHERE a.atteinte_vie_privee
    AND a.sha256 IN (SELECT sha256 FROM livraisons WHERE run_id = $run_id)
GROUP BY a.fichier
ORDER BY a.fichier;
