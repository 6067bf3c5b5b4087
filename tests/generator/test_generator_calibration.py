"""The generated figures look like the programme's: Meaux's first results, the re-offending rates,
1,350 h a year, ~10–20 operators at a time, staff turnover at some sites only."""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from gen_reader import Generated, Sheet, parse_name, typed_records

from pipelines.periods import Semester

pytestmark = pytest.mark.lent

RELEASES = {"liberation_fin_de_peine", "liberation_amenagement", "liberation_autre"}
JOB_OR_TRAINING = {"emploi_durable", "emploi_transition", "formation_qualifiante"}
LAST_DAY = date(2026, 6, 30)


@dataclass
class Clean:
    """Rows not named in the manifest, from first deliveries (re-submissions left out)."""

    pathways: dict[tuple, tuple[Semester, dict]] = field(default_factory=dict)
    parcours_rows: list[tuple[str, Semester, dict]] = field(default_factory=list)
    staff: dict[str, dict[tuple, dict]] = field(default_factory=lambda: defaultdict(dict))
    suivi: list[tuple[str, Semester, dict]] = field(default_factory=list)
    ecrous: dict[str, list[date]] = field(default_factory=lambda: defaultdict(list))

    def exits(self, site: str | None = None) -> list[dict]:
        return [
            r
            for (s, _, _), (_, r) in self.pathways.items()
            if r["date_sortie"] and site in (None, s)
        ]

    def releases(self, site: str | None = None) -> list[dict]:
        return [r for r in self.exits(site) if r["motif_sortie"] in RELEASES]


@pytest.fixture(scope="module")
def clean(generated: Generated, sheets: dict[str, Sheet]) -> Clean:
    flagged = {(d["file"], d["line"]) for d in generated.manifest["defects"]}
    out = Clean()
    for file_name, sheet in sheets.items():
        name = parse_name(file_name)
        if name.suffix:
            continue
        period = Semester.parse(name.period)
        for line, row in typed_records(sheet, name.export).items():
            if (file_name, line) in flagged:
                continue
            if name.export == "parcours":
                out.pathways[(name.site, row["identifiant"], row["date_entree"])] = (period, row)
                out.parcours_rows.append((name.site, period, row))
            elif name.export == "personnel":
                out.staff[name.site][(row["identifiant_salarie"], row["date_arrivee"])] = row
            elif name.export == "suivi":
                out.suivi.append((name.site, period, row))
            else:
                out.ecrous[row["identifiant"]].append(row["date_ecrou"])
    return out


def share(rows: list[dict], test: object) -> float:
    assert rows
    return sum(1 for r in rows if test(r)) / len(rows)  # type: ignore[operator]


def test_meaux_first_results(clean: Clean) -> None:
    """Seed: of 73 entries, 21 back to ordinary detention, 24 released into a job or a training."""
    exits = clean.exits("77-meaux")
    assert len(exits) > 100
    assert 0.20 <= share(exits, lambda r: r["motif_sortie"] == "retour_detention_ordinaire") <= 0.40
    assert (
        0.25
        <= share(clean.releases("77-meaux"), lambda r: r["situation_sortie"] in JOB_OR_TRAINING)
        <= 0.55
    )


def test_national_exit_mix(clean: Clean) -> None:
    releases = clean.releases()
    assert 0.25 <= share(releases, lambda r: r["situation_sortie"] in JOB_OR_TRAINING) <= 0.45
    assert 0.40 <= share(releases, lambda r: r["motif_sortie"] == "liberation_amenagement") <= 0.60
    assert 0.05 <= share(releases, lambda r: r["situation_sortie"] == "inconnue") <= 0.15
    motifs = {r["motif_sortie"] for r in clean.exits()}
    assert {"transfert", "abandon", "raison_medicale", "deces", "autre"} <= motifs


def test_sites_differ_enough_to_rank_them(clean: Clean) -> None:
    by_site = defaultdict(list)
    for (site, _, _), (_, row) in clean.pathways.items():
        if row["date_sortie"] and row["motif_sortie"] in RELEASES:
            by_site[site].append(row["situation_sortie"] in JOB_OR_TRAINING)
    shares = [sum(v) / len(v) for v in by_site.values() if len(v) >= 40]
    assert len(shares) > 20 and max(shares) - min(shares) >= 0.15


def test_hours_respect_full_time(clean: Clean) -> None:
    """1,350 h a year at most: per semester row, and summed over a calendar year per pathway."""
    yearly: dict[tuple, float] = defaultdict(float)
    for site, period, row in clean.parcours_rows:
        last = min(row["date_sortie"] or period.end, period.end)
        days = (last - max(row["date_entree"], period.start)).days + 1
        assert 0 <= row["heures_travaillees"] <= 1350 * days / 365 + 0.5
        yearly[(site, row["identifiant"], row["date_entree"], period.year)] += row[
            "heures_travaillees"
        ]
    assert max(yearly.values()) <= 1350
    assert max(yearly.values()) >= 1200  # full-time workers exist


def test_operators_present_and_pathway_length(clean: Clean) -> None:
    present: dict[tuple, int] = defaultdict(int)
    for site, period, row in clean.parcours_rows:
        if row["date_sortie"] is None:
            present[(site, period)] += 1
    assert 10 <= statistics.median(present.values()) <= 20
    lengths = [(r["date_sortie"] - r["date_entree"]).days for r in clean.exits()]
    assert 120 <= statistics.median(lengths) <= 270  # 4 to 9 months


def test_orientation_before_entry_by_weeks(clean: Clean) -> None:
    delays = [
        (r["date_entree"] - r["date_orientation_cpu"]).days
        for _, r in clean.pathways.values()
        if r["date_orientation_cpu"]
    ]
    assert min(delays) >= 0 and 14 <= statistics.median(delays) <= 56


def test_people_profile(clean: Clean) -> None:
    rows = [r for _, r in clean.pathways.values()]
    assert 0.07 <= share(rows, lambda r: r["sexe"] == "F") <= 0.13
    assert 0.18 <= share(rows, lambda r: r["date_entree"].year - r["annee_naissance"] < 26) <= 0.28
    assert 0.01 <= share(rows, lambda r: r["statut_penal"] == "prevenu") <= 0.04
    assert 0.03 <= share(rows, lambda r: not 4 <= r["quantum_peine_mois"] <= 36) <= 0.08
    assert 0.33 <= share(rows, lambda r: r["mesure_suivi"]) <= 0.47
    assert all(1940 <= r["annee_naissance"] <= r["date_entree"].year - 16 for r in rows)


def test_reincarceration_consistent_with_national_extract(clean: Clean) -> None:
    """About a quarter back in prison within 12 months, fewer after a sentence adjustment."""

    def back_within(row: dict, days: int) -> bool:
        released = row["date_sortie"]
        return any(
            released < d <= released + timedelta(days=days)
            for d in clean.ecrous.get(row["identifiant"], [])
        )

    cohort = [r for r in clean.releases() if r["date_sortie"] + timedelta(days=365) <= LAST_DAY]
    adjusted = [r for r in cohort if r["motif_sortie"] == "liberation_amenagement"]
    plain = [r for r in cohort if r["motif_sortie"] != "liberation_amenagement"]
    assert 0.18 <= share(cohort, lambda r: back_within(r, 365)) <= 0.30
    assert (
        share(adjusted, lambda r: back_within(r, 365))
        < share(plain, lambda r: back_within(r, 365)) - 0.05
    )
    assert share(cohort, lambda r: back_within(r, 183)) < share(
        cohort, lambda r: back_within(r, 365)
    )
    participants = {i for (_, i, _) in clean.pathways}
    assert sum(1 for i in clean.ecrous if i not in participants) > len(
        participants
    )  # unrelated people


def test_some_people_come_back_after_reincarceration(clean: Clean) -> None:
    by_person = defaultdict(list)
    for (site, identifier, _), (_, row) in clean.pathways.items():
        by_person[(site, identifier)].append(row)
    returns = 0
    for (_, identifier), rows in by_person.items():
        rows.sort(key=lambda r: r["date_entree"])
        for first, second in itertools.pairwise(rows):
            if first["date_sortie"] is None:
                continue  # the file with the exit was not delivered
            assert first["date_sortie"] < second["date_entree"]
            assert any(
                first["date_sortie"] < d <= second["date_entree"] for d in clean.ecrous[identifier]
            )
            returns += 1
    assert returns > 50


def test_follow_up_only_for_measured_people_after_release(clean: Clean) -> None:
    measured = {
        (s, i, r["date_sortie"])
        for (s, i, _), (_, r) in clean.pathways.items()
        if r["mesure_suivi"]
    }
    assert len(clean.suivi) > 1000
    for site, period, row in clean.suivi:
        assert (site, row["identifiant"], row["date_sortie"]) in measured
        assert (
            row["date_sortie"] <= row["date_observation"]
            and period.start <= row["date_observation"] <= period.end
        )
        assert (row["situation"] == "reincarcere") == (row["date_reincarceration"] is not None)
        if row["date_reincarceration"]:
            assert row["date_reincarceration"] in clean.ecrous[row["identifiant"]]


def test_staff_turnover_at_some_sites_only(clean: Clean) -> None:
    tenures = {}
    for site, members in clean.staff.items():
        ended = [
            (r["date_depart"] - r["date_arrivee"]).days
            for r in members.values()
            if r["date_depart"] and r["fonction"] != "direction"
        ]
        tenures[site] = ended
        assert all(0 < r["etp"] <= 1 for r in members.values())
    busy = [s for s, t in tenures.items() if len(t) >= 4 and statistics.median(t) <= 366]
    stable = [s for s, t in tenures.items() if not t or statistics.median(t) > 730]
    assert len(busy) >= 5 and len(stable) >= 10
