-- Each staff stay in each period whose personnel file lists it (a year: either of its semester
-- files), in its latest known state: a semester's file says who worked on the site that semester.
-- A stay is never counted from another semester's file: an arrival date corrected from one file
-- to the next makes two stays, each counted in its own semesters, not both in every one.
-- Key: code_site, type_periode, periode, identifiant_salarie, date_arrivee
CREATE OR REPLACE TABLE personnel_periodes AS
SELECT DISTINCT
    p.code_site,
    sp.type_periode,
    sp.periode,
    p.identifiant_salarie,
    p.date_arrivee,
    p.date_depart,
    p.fonction,
    p.etp
FROM personnel AS p
JOIN stg_personnel AS l USING (code_site, identifiant_salarie, date_arrivee)
JOIN periodes AS semestre ON semestre.periode = l.periode AND semestre.type_periode = 'semestre'
JOIN periodes AS sp
    ON sp.annee = semestre.annee
    AND (sp.type_periode = 'annee' OR sp.periode = semestre.periode);
