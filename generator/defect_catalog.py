"""Which defects each export can receive, each built to break exactly one contract rule.

A defect spoils one row the way a site really would (an impossible date, a code typed from memory,
an exit date typed before the entry…) while leaving every other rule satisfied, so that the
validator's finding is unambiguous. Some need a second change to stay that way (a pathway ended
last semester and copied again has its hours emptied, else the hours ceiling would fail too).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from generator.defects import (
    Context,
    Spec,
    always,
    append_from,
    bad_date,
    blank,
    days,
    duplicate,
    earlier_exits,
    has,
    present,
    set_to,
)
from generator.formats import Raw
from generator.population import RELEASES
from generator.tables import Row, days_present
from pipelines.periods import Semester

NUMBER_WORDS = ("zéro", "un", "deux", "trois", "quatre", "cinq")
UNSURE = ("peut-être", "en attente", "à voir")

# --- parcours --------------------------------------------------------------------------------


def _in_years(months: int) -> str:
    """A sentence written in years where months are asked (`1,5 ans`): no unit the ingest reads."""
    return f"{months / 12:.1f} ans".replace(".", ",")


def _exited(row: Row) -> bool:
    return row.get("date_sortie") is not None


def _non_release_exit(row: Row, ctx: Context) -> bool:
    return _exited(row) and row["motif_sortie"] not in RELEASES


def _release(row: Row, ctx: Context) -> bool:
    return _exited(row) and row["motif_sortie"] in RELEASES


def _adjusted(row: Row, ctx: Context) -> bool:
    return _exited(row) and row["motif_sortie"] == "liberation_amenagement"


def _plain_release(row: Row, ctx: Context) -> bool:
    return _exited(row) and row["motif_sortie"] in ("liberation_fin_de_peine", "liberation_autre")


def _exit_after_start(row: Row, ctx: Context) -> bool:
    start = ctx.table.period.start
    return _exited(row) and row["date_entree"] > start and row["date_sortie"] > row["date_entree"]


def _exit_before_entry(row: Row, ctx: Context) -> tuple[str, list[Row]]:
    """Exit typed before entry (the contract's hours ceiling is then undefined, not broken)."""
    room = (row["date_entree"] - ctx.table.period.start).days
    row["date_sortie"] = row["date_entree"] - days(ctx, 1, min(20, room))
    return f"date de sortie {row['date_sortie']} avant l'entrée {row['date_entree']}", [row]


def _exit_after_period(row: Row, ctx: Context) -> tuple[str, list[Row]]:
    row["date_sortie"] = ctx.table.period.end + days(ctx, 1, 45)
    return f"date de sortie prévue {row['date_sortie']} déclarée avant d'avoir eu lieu", [row]


def _near_opening(row: Row, ctx: Context) -> bool:
    opening = ctx.history.site.opening
    return (
        ctx.table.period == Semester.containing(opening)
        and (row["date_entree"] - opening).days < 120
    )


def _entry_before_opening(row: Row, ctx: Context) -> tuple[str, list[Row]]:
    shift = (row["date_entree"] - ctx.history.site.opening).days + ctx.rng.randint(3, 40)
    row["date_entree"] -= timedelta(days=shift)
    if row["date_orientation_cpu"] is not None:
        row["date_orientation_cpu"] -= timedelta(days=shift)
    return f"date d'entrée {row['date_entree']} avant l'ouverture de l'atelier", [row]


def _orientation_after_entry(row: Row, ctx: Context) -> tuple[str, list[Row]]:
    row["date_orientation_cpu"] = row["date_entree"] + days(ctx, 1, 30)
    return f"orientation CPU {row['date_orientation_cpu']} après l'entrée {row['date_entree']}", [
        row
    ]


def _too_many_hours(row: Row, ctx: Context) -> tuple[str, list[Row]]:
    ceiling = 7 * days_present(row["date_entree"], row["date_sortie"], ctx.table.period)
    row["heures_travaillees"] = float(ceiling + ctx.rng.randint(20, 300))
    return (
        f"{row['heures_travaillees']} h pour un plafond de {ceiling} h (cumul depuis l'entrée)",
        [row],
    )


_OLD_PATHWAYS = earlier_exits("date_sortie")

PARCOURS: tuple[Spec, ...] = (
    Spec("obligatoire_identifiant", "identifiant", "missing_value", always, blank("identifiant")),
    Spec("obligatoire_sexe", "sexe", "missing_value", always, blank("sexe")),
    Spec("obligatoire_date_entree", "date_entree", "missing_value", always, blank("date_entree")),
    Spec("type_date_entree", "date_entree", "invalid_date", always, bad_date("date_entree")),
    Spec(
        "type_date_orientation_cpu",
        "date_orientation_cpu",
        "invalid_date",
        present("date_orientation_cpu"),
        bad_date("date_orientation_cpu"),
    ),
    Spec(
        "nomenclature_sexe",
        "sexe",
        "unknown_code",
        always,
        set_to("sexe", lambda r, c: "X", "code inconnu"),
    ),
    Spec(
        "nomenclature_niveau_diplome",
        "niveau_diplome",
        "unknown_code",
        always,
        set_to(
            "niveau_diplome",
            lambda r, c: c.rng.choice(("BTS en cours", "CFG", "niveau 5")),
            "code inconnu",
        ),
    ),
    Spec(
        "nomenclature_statut_penal",
        "statut_penal",
        "unknown_code",
        always,
        set_to("statut_penal", lambda r, c: "condamne_definitif", "code inconnu"),
    ),
    Spec(
        "type_quantum_peine_mois",
        "quantum_peine_mois",
        "not_a_number",
        present("quantum_peine_mois"),
        set_to(
            "quantum_peine_mois", lambda r, c: Raw(_in_years(r["quantum_peine_mois"])), "en années"
        ),
    ),
    Spec(
        "type_annee_naissance",
        "annee_naissance",
        "not_a_number",
        present("annee_naissance"),
        set_to("annee_naissance", lambda r, c: Raw(f"vers {r['annee_naissance']}"), "texte"),
    ),
    Spec(
        "minimum_annee_naissance",
        "annee_naissance",
        "out_of_bounds",
        always,
        set_to("annee_naissance", lambda r, c: c.rng.randint(1925, 1938), "année avant 1940"),
    ),
    Spec(
        "annee_naissance_plausible",
        "annee_naissance",
        "implausible",
        always,
        set_to(
            "annee_naissance",
            lambda r, c: c.table.period.year - c.rng.randint(2, 12),
            "moins de 16 ans",
        ),
    ),
    Spec(
        "type_heures_travaillees",
        "heures_travaillees",
        "not_a_number",
        lambda r, c: (r.get("heures_travaillees") or 0) >= 1,
        set_to(
            "heures_travaillees", lambda r, c: Raw(f"{int(r['heures_travaillees'])}h30"), "texte"
        ),
    ),
    Spec(
        "minimum_heures_travaillees",
        "heures_travaillees",
        "negative",
        lambda r, c: (r.get("heures_travaillees") or 0) > 0,
        set_to("heures_travaillees", lambda r, c: -r["heures_travaillees"], "heures négatives"),
    ),
    Spec(
        "heures_plausibles",
        "heures_travaillees",
        "implausible",
        present("heures_travaillees"),
        _too_many_hours,
    ),
    Spec(
        "type_clea_obtenu",
        "clea_obtenu",
        "invalid_boolean",
        always,
        set_to("clea_obtenu", lambda r, c: Raw(c.rng.choice(UNSURE)), "ni oui ni non"),
    ),
    Spec(
        "type_accompagnement_post_sortie",
        "accompagnement_post_sortie",
        "invalid_boolean",
        always,
        set_to(
            "accompagnement_post_sortie", lambda r, c: Raw(c.rng.choice(UNSURE)), "ni oui ni non"
        ),
    ),
    Spec(
        "type_mesure_suivi",
        "mesure_suivi",
        "invalid_boolean",
        always,
        set_to("mesure_suivi", lambda r, c: Raw(c.rng.choice(UNSURE)), "ni oui ni non"),
    ),
    Spec(
        "minimum_nb_formations",
        "nb_formations",
        "negative",
        always,
        set_to("nb_formations", lambda r, c: -1, "nombre négatif"),
    ),
    Spec(
        "type_nb_pmsmp",
        "nb_pmsmp",
        "not_a_number",
        lambda r, c: r.get("nb_pmsmp") is not None,
        set_to(
            "nb_pmsmp", lambda r, c: Raw(NUMBER_WORDS[min(r["nb_pmsmp"], 5)]), "nombre en lettres"
        ),
    ),
    Spec(
        "orientation_avant_entree",
        "date_orientation_cpu",
        "inconsistent_dates",
        always,
        _orientation_after_entry,
    ),
    Spec(
        "entree_apres_ouverture",
        "date_entree",
        "inconsistent_dates",
        _near_opening,
        _entry_before_opening,
    ),
    Spec(
        "motif_si_sortie",
        "motif_sortie",
        "missing_value",
        _non_release_exit,
        blank("motif_sortie"),
    ),
    Spec(
        "motif_sans_sortie",
        "date_sortie",
        "missing_value",
        lambda r, c: _exited(r),
        blank("date_sortie"),
    ),
    Spec(
        "nomenclature_motif_sortie",
        "motif_sortie",
        "unknown_code",
        _non_release_exit,
        set_to("motif_sortie", lambda r, c: "liberation_anticipee", "code inconnu"),
    ),
    Spec(
        "amenagement_si_liberation_amenagee",
        "type_amenagement",
        "missing_value",
        _adjusted,
        blank("type_amenagement"),
    ),
    Spec(
        "amenagement_sans_liberation_amenagee",
        "type_amenagement",
        "inconsistent_codes",
        _plain_release,
        set_to("type_amenagement", lambda r, c: "PSE", "aménagement sans libération aménagée"),
    ),
    Spec(
        "nomenclature_type_amenagement",
        "type_amenagement",
        "unknown_code",
        _adjusted,
        set_to("type_amenagement", lambda r, c: "bracelet", "code inconnu"),
    ),
    Spec(
        "situation_si_liberation",
        "situation_sortie",
        "missing_value",
        _release,
        blank("situation_sortie"),
    ),
    Spec(
        "situation_sans_liberation",
        "situation_sortie",
        "inconsistent_codes",
        _non_release_exit,
        set_to("situation_sortie", lambda r, c: "recherche_emploi", "situation sans libération"),
    ),
    Spec(
        "nomenclature_situation_sortie",
        "situation_sortie",
        "unknown_code",
        _release,
        set_to(
            "situation_sortie",
            lambda r, c: c.rng.choice(("cdd", "stage", "emploi")),
            "code inconnu",
        ),
    ),
    Spec(
        "sortie_apres_entree",
        "date_sortie",
        "inconsistent_dates",
        _exit_after_start,
        _exit_before_entry,
    ),
    Spec(
        "sortie_dans_periode",
        "date_sortie",
        "inconsistent_dates",
        lambda r, c: _exited(r),
        _exit_after_period,
    ),
    Spec("parcours_unique", "identifiant", "duplicate", always, duplicate),
    Spec(
        "parcours_ouvert_pendant_periode",
        "date_sortie",
        "stale_row",
        has(_OLD_PATHWAYS),
        append_from(
            _OLD_PATHWAYS,
            ("heures_travaillees",),
            "parcours terminé au semestre précédent recopié (heures laissées vides)",
        ),
    ),
)

# --- personnel ------------------------------------------------------------------------------------


def _arrived_this_semester(row: Row, ctx: Context) -> bool:
    return (
        row["date_arrivee"] > ctx.table.period.start + timedelta(days=1)
        and row.get("date_depart") is None
    )


def _departure_before_arrival(row: Row, ctx: Context) -> tuple[str, list[Row]]:
    room = (row["date_arrivee"] - ctx.table.period.start).days
    row["date_depart"] = row["date_arrivee"] - days(ctx, 1, min(30, room))
    return f"départ {row['date_depart']} avant l'arrivée {row['date_arrivee']}", [row]


def _etp_as_percent(row: Row, ctx: Context) -> Any:
    return round(row["etp"] * 100) if row["etp"] < 1 else 1.5


def _future_arrivals(ctx: Context) -> list[Row]:
    if ctx.following is None:
        return []
    return [
        r
        for r in ctx.following.rows
        if r["date_arrivee"] > ctx.table.period.end and id(r) not in ctx.touched
    ]


_GONE_STAFF = earlier_exits("date_depart")

PERSONNEL: tuple[Spec, ...] = (
    Spec(
        "obligatoire_identifiant_salarie",
        "identifiant_salarie",
        "missing_value",
        always,
        blank("identifiant_salarie"),
    ),
    Spec("obligatoire_fonction", "fonction", "missing_value", always, blank("fonction")),
    Spec(
        "nomenclature_fonction",
        "fonction",
        "unknown_code",
        always,
        set_to(
            "fonction",
            lambda r, c: c.rng.choice(("comptable", "chauffeur", "stagiaire")),
            "code inconnu",
        ),
    ),
    Spec(
        "obligatoire_date_arrivee", "date_arrivee", "missing_value", always, blank("date_arrivee")
    ),
    Spec("type_date_arrivee", "date_arrivee", "invalid_date", always, bad_date("date_arrivee")),
    Spec(
        "type_date_depart",
        "date_depart",
        "invalid_date",
        present("date_depart"),
        bad_date("date_depart"),
    ),
    Spec("obligatoire_etp", "etp", "missing_value", always, blank("etp")),
    Spec(
        "type_etp",
        "etp",
        "not_a_number",
        always,
        set_to("etp", lambda r, c: Raw(c.rng.choice(("mi-temps", "temps plein"))), "texte"),
    ),
    Spec(
        "maximum_etp",
        "etp",
        "out_of_bounds",
        always,
        set_to("etp", _etp_as_percent, "quotité en pourcentage"),
    ),
    Spec(
        "depart_apres_arrivee",
        "date_depart",
        "inconsistent_dates",
        _arrived_this_semester,
        _departure_before_arrival,
    ),
    Spec(
        "depart_dans_periode",
        "date_depart",
        "inconsistent_dates",
        lambda r, c: r.get("date_depart") is None,
        set_to("date_depart", lambda r, c: c.table.period.end + days(c, 5, 90), "départ prévu"),
    ),
    Spec("salarie_unique", "identifiant_salarie", "duplicate", always, duplicate),
    Spec(
        "present_pendant_periode",
        "date_depart",
        "stale_row",
        has(_GONE_STAFF),
        append_from(_GONE_STAFF, (), "salarié parti au semestre précédent recopié"),
    ),
    Spec(
        "arrivee_dans_periode",
        "date_arrivee",
        "stale_row",
        has(_future_arrivals),
        append_from(
            _future_arrivals, ("date_depart",), "recrutement du semestre suivant déclaré d'avance"
        ),
    ),
)

# --- suivi -------------------------------------------------------------------------------------------


def _reincarcerated(row: Row, ctx: Context) -> bool:
    return row.get("situation") == "reincarcere"


def _released_this_semester(row: Row, ctx: Context) -> bool:
    return row["date_sortie"] > ctx.table.period.start + timedelta(days=1)


def _observation_before_release(row: Row, ctx: Context) -> tuple[str, list[Row]]:
    room = (row["date_sortie"] - ctx.table.period.start).days
    row["date_observation"] = row["date_sortie"] - days(ctx, 1, min(20, room))
    return f"observation {row['date_observation']} avant la libération {row['date_sortie']}", [row]


def _unlawful_candidates(ctx: Context) -> list[Any]:
    """Released people of this site never under a follow-up measure there."""
    period, pathways = ctx.table.period, ctx.history.pathways
    measured = {p.person.identifiant for p in pathways if p.mesure_suivi}
    return [
        p
        for p in pathways
        if p.is_release
        and p.sortie is not None
        and period.start - timedelta(days=300) <= p.sortie <= period.end
        and p.person.identifiant not in measured
    ]


def _unlawful_follow_up(row: Row, ctx: Context) -> tuple[str, list[Row]]:
    pathway = ctx.rng.choice(_unlawful_candidates(ctx))
    start = max(pathway.sortie, ctx.table.period.start)
    day = start + days(ctx, 0, (ctx.table.period.end - start).days)
    situation = (
        pathway.situation
        if pathway.situation in ("emploi_durable", "emploi_transition")
        else "recherche_emploi"
    )
    added = {
        "identifiant": pathway.person.identifiant,
        "date_sortie": pathway.sortie,
        "date_observation": day,
        "situation": situation,
        "date_reincarceration": None,
        "_key": pathway.person.identifiant,
        "_sexe": pathway.person.sexe,
    }
    ctx.table.rows.append(added)
    return "personne suivie sans mesure de suivi (mesure_suivi = non dans son parcours)", [added]


SUIVI: tuple[Spec, ...] = (
    Spec("obligatoire_situation", "situation", "missing_value", always, blank("situation")),
    Spec(
        "nomenclature_situation",
        "situation",
        "unknown_code",
        lambda r, c: not _reincarcerated(r, c),
        set_to("situation", lambda r, c: c.rng.choice(("cdd", "stage", "emploi")), "code inconnu"),
    ),
    Spec(
        "obligatoire_date_observation",
        "date_observation",
        "missing_value",
        always,
        blank("date_observation"),
    ),
    Spec(
        "type_date_observation",
        "date_observation",
        "invalid_date",
        always,
        bad_date("date_observation"),
    ),
    Spec("obligatoire_date_sortie", "date_sortie", "missing_value", always, blank("date_sortie")),
    Spec("type_date_sortie", "date_sortie", "invalid_date", always, bad_date("date_sortie")),
    Spec(
        "observation_apres_sortie",
        "date_observation",
        "inconsistent_dates",
        _released_this_semester,
        _observation_before_release,
    ),
    Spec(
        "reincarceration_datee",
        "date_reincarceration",
        "missing_value",
        _reincarcerated,
        blank("date_reincarceration"),
    ),
    Spec(
        "reincarceration_apres_sortie",
        "date_reincarceration",
        "inconsistent_dates",
        _reincarcerated,
        set_to(
            "date_reincarceration",
            lambda r, c: r["date_sortie"] - days(c, 5, 60),
            "réincarcération avant la sortie",
        ),
    ),
    Spec(
        "suivi_liberation_sans_mesure",
        "date_sortie",
        "privacy_violation",
        has(_unlawful_candidates),
        _unlawful_follow_up,
    ),
)

SPECS = {"parcours": PARCOURS, "personnel": PERSONNEL, "suivi": SUIVI}
