-- Semesters, the reporting periods: `AAAA-S1` = 1 January–30 June, `AAAA-S2` = 1 July–31 December.
-- Every SQL file computes them with these macros (their Python twin: pipelines/periods.py). A
-- semester's index is 2 × year + (half − 1): consecutive semesters have consecutive indices.
CREATE OR REPLACE MACRO semestre_indice(periode) AS
    CAST(left(periode, 4) AS INTEGER) * 2 + CAST(right(periode, 1) AS INTEGER) - 1;

CREATE OR REPLACE MACRO semestre_code(indice) AS format('{}-S{}', indice // 2, indice % 2 + 1);

CREATE OR REPLACE MACRO semestre_contenant(jour) AS
    semestre_code(year(jour) * 2 + CAST(month(jour) > 6 AS INTEGER));

CREATE OR REPLACE MACRO semestre_debut(periode) AS
    make_date(semestre_indice(periode) // 2, (semestre_indice(periode) % 2) * 6 + 1, 1);

CREATE OR REPLACE MACRO semestre_fin(periode) AS
    CAST(semestre_debut(periode) + INTERVAL 6 MONTH - INTERVAL 1 DAY AS DATE);

-- A delivery is due on `jour` of the `mois_apres`-th month after its semester ends.
CREATE OR REPLACE MACRO semestre_echeance(periode, mois_apres, jour) AS make_date(
    year(semestre_fin(periode) + to_months(mois_apres)),
    month(semestre_fin(periode) + to_months(mois_apres)),
    jour
);

-- Every semester from `premiere` to `derniere` (codes), with its year and bounds.
CREATE OR REPLACE MACRO semestres_entre(premiere, derniere) AS TABLE
SELECT
    semestre_code(i) AS periode,
    i // 2 AS annee,
    semestre_debut(semestre_code(i)) AS debut,
    semestre_fin(semestre_code(i)) AS fin
FROM generate_series(semestre_indice(premiere), semestre_indice(derniere)) AS g(i);

-- Whether a semester's figure counts in its year's, for a measure whose year reads its semesters
-- (sql/indicators/07_regles_annee.sql): every semester for a sum, the last one for a last-day
-- stock; none for any other measure (no rule: NULL).
CREATE OR REPLACE MACRO compte_dans_annee(regle, fin_semestre, fin_annee) AS
    regle = 'somme' OR regle = 'dernier_jour' AND fin_semestre = fin_annee;
