"""An independent re-statement of the contracts' error rules, to check the generated rows.

Each function returns the names of the error rules a row breaks (warnings are left out: they are
normal data). Written from docs/exports.md and the contracts, not from the pipeline's validator.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from gen_reader import Sheet, normalise_id, typed_records

from pipelines.codes import load_codes
from pipelines.contracts import load_contract
from pipelines.periods import Semester

RELEASES = {"liberation_fin_de_peine", "liberation_amenagement", "liberation_autre"}


def column_failures(export: str, raw: dict[str, str], typed: dict[str, object]) -> set[str]:
    """obligatoire_ / type_ / nomenclature_ / minimum_ / maximum_ rules, from the contract."""
    out = set()
    for column in load_contract(export).columns:
        text, value = raw.get(column.name, ""), typed[column.name]
        if not text:
            if column.required:
                out.add(f"obligatoire_{column.name}")
            continue
        if column.nomenclature and value is None:
            out.add(f"nomenclature_{column.name}")
        elif _unreadable(column.logical_type, value):
            out.add(f"type_{column.name}")
        elif isinstance(value, float):
            low = column.minimum if column.minimum is not None else column.exclusive_minimum
            if low is not None and (
                value < low or (column.exclusive_minimum is not None and value <= low)
            ):
                out.add(f"minimum_{column.name}")
            if column.maximum is not None and value > column.maximum:
                out.add(f"maximum_{column.name}")
    return out


def _unreadable(logical_type: str, value: object) -> bool:
    """A non-empty cell that does not read as its type (a decimal in an integer column too)."""
    if logical_type in ("date", "integer", "number", "boolean") and value is None:
        return True
    return logical_type == "integer" and isinstance(value, float) and not value.is_integer()


def _before(a: object, b: object) -> bool:
    """a < b, when both are known."""
    return isinstance(a, date) and isinstance(b, date) and a < b


def parcours_failures(row: dict, period: Semester, opening: date) -> set[str]:
    out = set()
    entree, sortie, motif = row["date_entree"], row["date_sortie"], row["motif_sortie"]
    year = row["annee_naissance"]
    if isinstance(year, float) and year > period.year - 16:
        out.add("annee_naissance_plausible")
    if _before(entree, row["date_orientation_cpu"]):
        out.add("orientation_avant_entree")
    if _before(entree, opening):
        out.add("entree_apres_ouverture")
    if _before(period.end, entree):
        out.add("entree_dans_periode")
    if _before(sortie, entree):
        out.add("sortie_apres_entree")
    if _before(period.end, sortie):
        out.add("sortie_dans_periode")
    if _before(sortie, period.start):
        out.add("parcours_ouvert_pendant_periode")
    if sortie is not None and motif is None and not row["_motif_text"]:
        out.add("motif_si_sortie")
    if sortie is None and row["_motif_text"] and not row["_sortie_text"]:
        out.add("motif_sans_sortie")
    if motif == "liberation_amenagement" and not row["_amenagement_text"]:
        out.add("amenagement_si_liberation_amenagee")
    if row["_amenagement_text"] and motif != "liberation_amenagement":
        out.add("amenagement_sans_liberation_amenagee")
    release = motif in RELEASES
    if release and not row["_situation_text"]:
        out.add("situation_si_liberation")
    if row["_situation_text"] and not release:
        out.add("situation_sans_liberation")
    hours, backwards = row["heures_travaillees"], _before(sortie, entree)
    if isinstance(hours, float) and not backwards and hours > _ceiling(entree, sortie, period):
        out.add("heures_plausibles")
    return out


def _ceiling(entree: object, sortie: object, period: Semester) -> int:
    """7 h × days present, computed like the contract's SQL (a missing date widens the window;
    no ceiling when the exit precedes the entry)."""
    first = max(entree, period.start) if isinstance(entree, date) else period.start
    last = min(sortie if isinstance(sortie, date) else period.end, period.end)
    return 7 * ((last - first).days + 1)


def personnel_failures(row: dict, period: Semester) -> set[str]:
    out = set()
    arrivee, depart = row["date_arrivee"], row["date_depart"]
    if _before(period.end, arrivee):
        out.add("arrivee_dans_periode")
    if _before(depart, arrivee):
        out.add("depart_apres_arrivee")
    if _before(period.end, depart):
        out.add("depart_dans_periode")
    if _before(depart, period.start):
        out.add("present_pendant_periode")
    return out


@dataclass(frozen=True)
class FollowUpRights:
    """Who a site may follow after release: people with a measure on a pathway, and the releases
    (person, day) made without one, which no other pathway's measure covers."""

    measured: frozenset[str] = frozenset()
    unmeasured_releases: frozenset[tuple[str, date]] = frozenset()


def suivi_failures(row: dict, period: Semester, rights: FollowUpRights) -> set[str]:
    out = set()
    if (row["identifiant"], row["date_sortie"]) in rights.unmeasured_releases:
        out.add("suivi_liberation_sans_mesure")
    elif row["identifiant"] not in rights.measured:
        out.add("suivi_sans_mesure")
    if _before(row["date_observation"], row["date_sortie"]):
        out.add("observation_apres_sortie")
    if _before(period.end, row["date_observation"]):
        out.add("observation_dans_periode")
    if row["situation"] == "reincarcere" and not row["_reincarceration_text"]:
        out.add("reincarceration_datee")
    if _before(row["date_reincarceration"], row["date_sortie"]):
        out.add("reincarceration_apres_sortie")
    return out


def file_failures(
    sheet: Sheet, export: str, period: Semester, opening: date | None, rights: FollowUpRights
) -> dict[int, set[str]]:
    """line → error rules broken, for every data row of a file."""
    contract = load_contract(export)
    raws = sheet.records(contract)
    typed = typed_records(sheet, export)
    out: dict[int, set[str]] = {}
    for line, row in typed.items():
        raw = raws[line]
        failures = column_failures(export, raw, row)
        extended = {
            **row,
            "_motif_text": raw.get("motif_sortie", ""),
            "_sortie_text": raw.get("date_sortie", ""),
            "_amenagement_text": raw.get("type_amenagement", ""),
            "_situation_text": raw.get("situation_sortie", ""),
            "_reincarceration_text": raw.get("date_reincarceration", ""),
        }
        if export == "parcours":
            failures |= parcours_failures(extended, period, opening)
        elif export == "personnel":
            failures |= personnel_failures(row, period)
        elif export == "suivi":
            failures |= suivi_failures(extended, period, rights)
        elif export == "reincarcerations" and _before(period.end, row["date_ecrou"]):
            failures.add("ecrou_dans_periode")
        out[line] = failures
    key = {
        "parcours": ("identifiant", "date_entree"),
        "personnel": ("identifiant_salarie", "date_arrivee"),
    }.get(export)
    if key:
        keys = {line: tuple(row[k] for k in key) for line, row in typed.items()}
        counts = Counter(k for k in keys.values() if None not in k)
        rule = "parcours_unique" if export == "parcours" else "salarie_unique"
        for line, k in keys.items():
            if counts[k] > 1:
                out[line].add(rule)
    return out


def follow_up_rights(sheets: list[Sheet]) -> FollowUpRights:
    """From a site's parcours files: people with a row with mesure_suivi = oui, and the releases
    of rows without it that no row with it shares."""
    measured, with_measure, without = set(), set(), set()
    for sheet in sheets:
        for row in typed_records(sheet, "parcours").values():
            if not row["identifiant"]:
                continue
            person = normalise_id(str(row["identifiant"]))
            release = (person, row["date_sortie"])
            if row["mesure_suivi"] is True:
                measured.add(person)
                with_measure.add(release)
            elif row["motif_sortie"] in RELEASES and row["date_sortie"]:
                without.add(release)
    return FollowUpRights(frozenset(measured), frozenset(without - with_measure))


def known_rules(export: str) -> dict[str, str]:
    """Every error rule name of an export → its column (column rules and named rules)."""
    contract, codes = load_contract(export), load_codes()
    out = {}
    for column in contract.columns:
        if column.required:
            out[f"obligatoire_{column.name}"] = column.name
        if column.nomenclature and column.nomenclature in codes.nomenclatures:
            out[f"nomenclature_{column.name}"] = column.name
        if column.logical_type != "string":
            out[f"type_{column.name}"] = column.name
        if column.minimum is not None or column.exclusive_minimum is not None:
            out[f"minimum_{column.name}"] = column.name
        if column.maximum is not None:
            out[f"maximum_{column.name}"] = column.name
    out.update({rule.name: rule.column for rule in contract.rules if rule.severity == "error"})
    return out
