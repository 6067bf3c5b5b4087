-- Additive relations between published counts, for secondary suppression
-- (reports/confidentiality.py): each relation is a total and the counts that sum to it. One row
-- per member: its key, the relation's id, whether it is the total, whether it is a stock-flow
-- identity (`stock_flux`, read by relation-by-relation suppression only: reports/linked_relations.py),
-- and whether it is a category of a breakdown (`categorie`: an exit reason, a situation at
-- release; at the national level, the only figures linked suppression may hide: reports/linked_suppression.py).
--   Published cells only: sites have the catalog's per-site indicators (sql/reports/figures.sql).
--   What a shown rate makes known counts too: a share (a « taux » over people) printed beside its
--   denominator gives its numerator and the rest of the denominator, so each share brings two
--   counts, `<indicateur>|numerateur` and `<indicateur>|reste`, into every relation below.
--   Zones, for every count and period: a department and its sites, a region and its
--   departments, a DISP and its departments or its regions, a type of SIAE or of prison and its
--   sites, and the nation as the sum of each of these partitions (DISPs, regions, departments,
--   types of SIAE, types of prison).
--   Breakdowns, within a zone and period: exits and exits by reason; releases and the three
--   release reasons; releases and situations at release; releases under a sentence adjustment
--   and their types; releases into a job or training and their three situations; a share of
--   « dynamic » releases (its numerator) and the situations whose group is dynamic; two
--   indicators that count the same measure (returns to ordinary detention, a share's numerator
--   and the count of its measure); a share's denominator and its numerator plus its rest; a
--   share whose denominator has no count of its own (a cohort, the releases followed up) and its
--   base `<indicateur>|base`, a count the audit has only for a share « effectif insuffisant »
--   (reports/confidentiality.py: its numerator plus its rest is then known to be under the
--   threshold); a rate that is no share (PMSMP or trainings per exit, operator turnover) and the
--   count of its numerator's measure, which it gives back beside its base (its numerator has no
--   other relation: the count's own relations already tie it). A rate over the average of the
--   open pathways on the first and the last day (operator turnover) gives back, beside its
--   numerator, their sum, its base `<indicateur>|base`: the first day's being the file active
--   less the entries, the base plus the entries is the file active plus the present at the end
--   (`stock_flux`: it ties a period's stocks and flows, 138,5 % beside 18 exits, 12 present and
--   30 active gave 16 hidden entries).
--   Re-incarceration cohorts: a cohort counts each person once per site and semester, at their
--   first release, so it is the releases of its kind (all, under a sentence adjustment, into a
--   job or training) wherever nobody was released twice, which a reader may assume: a cohort
--   rate's numerator plus rest is those releases, and for the cohort without an adjustment (a
--   job or training) the releases minus those with one (a rate printed to a tenth over a hidden
--   base would otherwise give that base back).
--   Time, within a zone: a year and its semesters, for counts of events (not stocks): the
--   dashboard shows both, and a year minus a semester would give the other semester away.
--   A year's last-day stock (`stock: dernier_jour`) is its last semester's (the present at the end
--   of 2025 is the present at the end of 2025-S2; the year in progress spans its one semester),
--   so the two are one figure: the dashboard shows both, and one shown would give the other away.
--   Both hold at every grain even when a site delivered one semester of the year (its semesters
--   count in the year: sql/indicators/07_regles_annee.sql); other stocks have no such relation.
--   Stocks and flows, within a zone and a type of period: the file active is the present at the
--   end of the previous period plus the entries, and the present at the end plus the exits (a
--   pack prints the three stocks and flows side by side: 28 − 16 gives 12 exits).
--   Results since opening (`stock_flux` too: they tie each period to the next), within a zone and
--   a type of period: each is the previous period's plus the period's flow (the entries, the
--   returns to ordinary detention, the releases into a job or training; for the other exits, the
--   other exit reasons and the releases into neither), and the still present gain the entries and
--   lose the exits: two periods side by side would otherwise give a hidden flow away (392 − 353).
--   A member whose `signe` is −1 stands on the total's side (`total`: −1 in the identity). Within
--   a period, the four outcomes add up to the entries since opening.
--   A relation is only of use to a reader where it holds: only the relations whose figures add
--   up are used (reports/linked_relations.py): a missing delivery breaks a zone's stock-flow
--   identity for that period (a site's first period holds: nobody was present before).
WITH comptes_mesures AS (
    SELECT id, mesure
    FROM catalogue_indicateurs
    WHERE unite = 'nombre' AND methode = 'somme' AND personnes
),
parts AS (
    SELECT
        id, mesure, mesure_denominateur, stock, dernier_jour, par_site,
        mesure_denominateur NOT IN (SELECT mesure FROM comptes_mesures) AS base_sans_compte
    FROM catalogue_indicateurs
    WHERE unite = 'taux' AND methode = 'rapport' AND personnes
),
cohortes AS (
    SELECT * FROM (VALUES
        ('personnes_liberees', 'liberations', NULL),
        ('personnes_liberees_amenagement', 'sorties_liberation_amenagement', NULL),
        ('personnes_liberees_sans_amenagement', 'liberations', 'sorties_liberation_amenagement'),
        ('personnes_liberees_emploi_formation', 'sorties_emploi_formation', NULL),
        ('personnes_liberees_sans_emploi_formation', 'liberations', 'sorties_emploi_formation')
    ) AS c(denominateur, liberations, complement)
),
cotes AS (
    SELECT * FROM (VALUES ('numerateur'), ('reste')) AS c(cote)
),
rapports AS (
    SELECT id, mesure, par_site
    FROM catalogue_indicateurs
    WHERE methode = 'rapport' AND personnes AND unite <> 'taux'
),
debuts_de_periode AS (
    SELECT * FROM (VALUES ('presents_debut', 'file_active', 'entrees'))
        AS d(mesure, stock_periode, flux_entrant)
),
moyennes AS (
    SELECT c.id, c.par_site, d.stock_periode, d.flux_entrant, f.id AS stock_fin
    FROM catalogue_indicateurs AS c
    JOIN catalogue_mesures AS m ON m.id = c.mesure_denominateur
    JOIN debuts_de_periode AS d ON list_contains(m.moyenne_de, d.mesure)
    JOIN comptes_mesures AS f
        ON list_contains(m.moyenne_de, f.mesure) AND f.mesure <> d.mesure
    WHERE c.methode = 'rapport' AND c.personnes
),
comptes_catalogue AS (
    SELECT id, stock, dernier_jour, par_site FROM catalogue_indicateurs WHERE unite = 'nombre' AND personnes
    UNION ALL
    SELECT id || '|' || cote, stock, dernier_jour, par_site
    FROM parts, cotes
    UNION ALL
    SELECT id || '|base', stock, dernier_jour, par_site FROM parts WHERE base_sans_compte
    UNION ALL
    SELECT id || '|base', true, false, par_site FROM moyennes
),
comptes AS (
    SELECT i.maille, i.code_zone, i.type_periode, i.periode, c.id AS indicateur, c.stock, c.dernier_jour
    FROM indicateurs AS i
    JOIN comptes_catalogue AS c ON split_part(c.id, '|', 1) = i.indicateur
    WHERE i.maille <> 'site' OR c.par_site
),
emboitements AS (
    SELECT 'departement' AS maille_totale, code_departement AS zone_totale, maille, code_zone
    FROM zones WHERE maille = 'site'
    UNION ALL
    SELECT 'region', 'R' || code_region, maille, code_zone FROM zones WHERE maille = 'departement'
    UNION ALL
    SELECT 'disp', code_disp, maille, code_zone FROM zones WHERE maille IN ('departement', 'region')
    UNION ALL
    SELECT maille, code_zone, 'site', code_site
    FROM zones_sites WHERE maille IN ('type_siae', 'type_etablissement')
    UNION ALL
    SELECT 'nation', 'FR', maille, code_zone
    FROM zones WHERE maille IN ('disp', 'departement', 'region', 'type_siae', 'type_etablissement')
),
flux_cumuls AS (
    SELECT * FROM (VALUES
        ('entrees_cumulees', 'entrees', 1),
        ('cumul_retours_detention_ordinaire', 'sorties_retour_detention_ordinaire', 1),
        ('cumul_sorties_emploi_formation', 'sorties_emploi_formation', 1),
        ('cumul_presents', 'entrees', 1),
        ('cumul_presents', 'sorties', -1)
    ) AS f(cumul, flux, signe)
    UNION ALL
    SELECT 'cumul_autres_sorties', 'sorties_' || code, 1
    FROM ref_motif_sortie WHERE NOT liberation AND code <> 'retour_detention_ordinaire'
    UNION ALL
    SELECT 'cumul_autres_sorties', 'liberations_' || code, 1
    FROM ref_situation_sortie WHERE NOT emploi_formation
),
decompositions AS (
    SELECT 'devenirs_cumules' AS decomposition, 'entrees_cumulees' AS total, cumul AS cellule, true AS categorie
    FROM (SELECT DISTINCT cumul FROM flux_cumuls WHERE cumul <> 'entrees_cumulees')
    UNION ALL
    SELECT 'motifs', 'sorties', 'sorties_' || code, true
    FROM ref_motif_sortie
    UNION ALL
    SELECT 'motifs_liberation', 'liberations', 'sorties_' || code, true FROM ref_motif_sortie WHERE liberation
    UNION ALL
    SELECT 'situations', 'liberations', 'liberations_' || code, true FROM ref_situation_sortie
    UNION ALL
    SELECT 'types_amenagement', 'sorties_liberation_amenagement', 'amenagements_' || code, true
    FROM ref_type_amenagement
    UNION ALL
    SELECT 'emploi_formation', 'sorties_emploi_formation', 'liberations_' || code, true
    FROM ref_situation_sortie WHERE emploi_formation
    UNION ALL
    SELECT 'dynamiques', p.id || '|numerateur', 'liberations_' || s.code, true
    FROM parts AS p, ref_situation_sortie AS s
    JOIN ref_groupe_situation_sortie AS g ON g.code = s.groupe
    WHERE p.mesure = 'liberations_dynamiques' AND g.dynamique
    UNION ALL
    SELECT 'meme_mesure', a.id, b.id, false
    FROM catalogue_indicateurs AS a
    JOIN catalogue_indicateurs AS b ON b.mesure = a.mesure AND b.id > a.id
    WHERE a.unite = 'nombre' AND b.unite = 'nombre' AND a.methode = 'somme' AND b.methode = 'somme'
    UNION ALL
    SELECT 'meme_mesure', a.id, b.id || '|numerateur', false
    FROM comptes_mesures AS a
    JOIN parts AS b ON b.mesure = a.mesure
    UNION ALL
    SELECT 'meme_mesure', a.id || '|numerateur', b.id || '|numerateur', false
    FROM parts AS a
    JOIN parts AS b ON b.mesure = a.mesure AND b.id > a.id
    UNION ALL
    SELECT 'taux_' || b.id, a.id, b.id || '|' || c.cote, false
    FROM comptes_mesures AS a
    JOIN parts AS b ON b.mesure_denominateur = a.mesure, cotes AS c
    UNION ALL
    SELECT 'base', p.id || '|base', p.id || '|' || c.cote, false
    FROM parts AS p, cotes AS c
    WHERE p.base_sans_compte
    UNION ALL
    SELECT 'cohorte_' || p.id, c.liberations, p.id || '|' || s.cote, false
    FROM cohortes AS c
    JOIN parts AS p ON p.mesure_denominateur = c.denominateur, cotes AS s
    UNION ALL
    SELECT 'cohorte_' || p.id, c.liberations, c.complement, false
    FROM cohortes AS c
    JOIN parts AS p ON p.mesure_denominateur = c.denominateur
    WHERE c.complement IS NOT NULL
),
relations_zones AS (
    SELECT
        concat_ws('|', e.maille_totale, e.zone_totale, e.maille, t.periode, t.indicateur) AS relation,
        e.maille_totale AS maille_total,
        e.zone_totale AS zone_total,
        m.maille,
        m.code_zone,
        t.periode,
        t.indicateur AS indicateur_total,
        t.indicateur
    FROM emboitements AS e
    JOIN comptes AS t ON t.maille = e.maille_totale AND t.code_zone = e.zone_totale
    JOIN comptes AS m
        ON m.maille = e.maille AND m.code_zone = e.code_zone
        AND m.periode = t.periode AND m.indicateur = t.indicateur
),
relations_decompositions AS (
    SELECT
        concat_ws(
            '|', t.maille, t.code_zone, t.periode, d.decomposition, d.total,
            CASE WHEN d.decomposition = 'meme_mesure' THEN d.cellule END
        ) AS relation,
        t.maille AS maille_total,
        t.code_zone AS zone_total,
        m.maille,
        m.code_zone,
        t.periode,
        d.total AS indicateur_total,
        m.indicateur,
        d.categorie
    FROM decompositions AS d
    JOIN comptes AS t ON t.indicateur = d.total
    JOIN comptes AS m
        ON m.maille = t.maille AND m.code_zone = t.code_zone
        AND m.periode = t.periode AND m.indicateur = d.cellule
),
relations_rapports AS (
    SELECT
        concat_ws(
            '|', t.maille, t.code_zone, t.periode, 'meme_mesure', t.indicateur, r.id || '|numerateur'
        ) AS relation,
        t.maille AS maille_total,
        t.code_zone AS zone_total,
        t.maille,
        t.code_zone,
        t.periode,
        t.indicateur AS indicateur_total,
        r.id || '|numerateur' AS indicateur
    FROM rapports AS r
    JOIN comptes_mesures AS a ON a.mesure = r.mesure
    JOIN comptes AS t ON t.indicateur = a.id
    JOIN indicateurs AS i
        ON i.maille = t.maille AND i.code_zone = t.code_zone AND i.periode = t.periode
        AND i.indicateur = r.id
    WHERE t.maille <> 'site' OR r.par_site
),
relations_annees AS (
    SELECT
        concat_ws(
            '|', t.maille, t.code_zone, t.periode,
            CASE WHEN t.stock THEN 'fin_annee' ELSE 'semestres' END, t.indicateur
        ) AS relation,
        t.maille AS maille_total,
        t.code_zone AS zone_total,
        m.maille,
        m.code_zone,
        t.periode AS periode_total,
        m.periode,
        t.indicateur AS indicateur_total,
        m.indicateur
    FROM comptes AS t
    JOIN periodes AS annee ON annee.type_periode = t.type_periode AND annee.periode = t.periode
    JOIN periodes AS semestre
        ON semestre.type_periode = 'semestre' AND semestre.annee = annee.annee
        AND compte_dans_annee(
            CASE WHEN NOT t.stock THEN 'somme' WHEN t.dernier_jour THEN 'dernier_jour' END,
            semestre.fin,
            annee.fin
        )
    JOIN comptes AS m
        ON m.maille = t.maille AND m.code_zone = t.code_zone AND m.indicateur = t.indicateur
        AND m.periode = semestre.periode
    WHERE t.type_periode = 'annee'
),
precedentes AS (
    SELECT
        type_periode,
        periode,
        lag(periode) OVER (PARTITION BY type_periode ORDER BY debut) AS periode_precedente
    FROM periodes
),
stocks_flux AS (
    SELECT * FROM (VALUES
        ('stock_entrees', true, 'entrees'),
        ('stock_sorties', false, 'sorties')
    ) AS s(identite, stock_precedent, flux)
),
relations_stocks AS (
    SELECT
        concat_ws('|', t.maille, t.code_zone, t.periode, s.identite, t.indicateur) AS relation,
        t.maille AS maille_total,
        t.code_zone AS zone_total,
        t.maille,
        t.code_zone,
        t.periode AS periode_total,
        m.periode,
        t.indicateur AS indicateur_total,
        m.indicateur
    FROM stocks_flux AS s
    JOIN comptes AS t ON t.indicateur = 'file_active'
    JOIN precedentes AS p ON p.type_periode = t.type_periode AND p.periode = t.periode
    JOIN comptes AS m
        ON m.maille = t.maille AND m.code_zone = t.code_zone
        AND (
            (m.indicateur = s.flux AND m.periode = t.periode)
            OR (
                m.indicateur = 'presents_fin'
                AND m.periode = CASE WHEN s.stock_precedent THEN p.periode_precedente ELSE t.periode END
            )
        )
),
membres_cumuls AS (
    SELECT DISTINCT cumul, cumul AS indicateur, false AS precedente, true AS total FROM flux_cumuls
    UNION ALL
    SELECT DISTINCT cumul, cumul, true, false FROM flux_cumuls
    UNION ALL
    SELECT cumul, flux, false, signe < 0 FROM flux_cumuls
),
relations_cumuls AS (
    SELECT
        concat_ws('|', t.maille, t.code_zone, t.periode, 'cumul', t.indicateur) AS relation,
        m.maille,
        m.code_zone,
        m.periode,
        m.indicateur,
        mc.total
    FROM comptes AS t
    JOIN precedentes AS p ON p.type_periode = t.type_periode AND p.periode = t.periode
    JOIN membres_cumuls AS mc ON mc.cumul = t.indicateur
    JOIN comptes AS m
        ON m.maille = t.maille AND m.code_zone = t.code_zone AND m.indicateur = mc.indicateur
        AND m.periode = CASE WHEN mc.precedente THEN p.periode_precedente ELSE t.periode END
),
relations_moyennes AS (
    SELECT
        concat_ws('|', t.maille, t.code_zone, t.periode, 'moyenne', t.indicateur) AS relation,
        m.maille,
        m.code_zone,
        m.periode,
        m.indicateur,
        m.indicateur IN (a.stock_periode, a.stock_fin) AS total
    FROM moyennes AS a
    JOIN comptes AS t ON t.indicateur = a.id || '|base'
    JOIN comptes AS m
        ON m.maille = t.maille AND m.code_zone = t.code_zone AND m.periode = t.periode
        AND m.indicateur IN (t.indicateur, a.flux_entrant, a.stock_periode, a.stock_fin)
),
cellules AS (
    SELECT *, periode AS periode_total, false AS stock_flux FROM relations_zones
    UNION ALL BY NAME
    SELECT *, periode AS periode_total, false AS stock_flux FROM relations_decompositions
    UNION ALL BY NAME
    SELECT *, periode AS periode_total, false AS stock_flux FROM relations_rapports
    UNION ALL BY NAME
    SELECT *, false AS stock_flux FROM relations_annees
    UNION ALL BY NAME
    SELECT *, true AS stock_flux FROM relations_stocks
)
SELECT DISTINCT
    relation, maille_total AS maille, zone_total AS code_zone, periode_total AS periode,
    indicateur_total AS indicateur, true AS total, stock_flux, false AS categorie
FROM cellules
UNION ALL
SELECT relation, maille, code_zone, periode, indicateur, false, stock_flux, coalesce(categorie, false)
FROM cellules
UNION ALL
SELECT relation, maille, code_zone, periode, indicateur, total, true, false
FROM relations_cumuls
UNION ALL
SELECT relation, maille, code_zone, periode, indicateur, total, true, false
FROM relations_moyennes;
