"""Statistical confidentiality (docs/publication.md): primary suppression, linked secondary suppression and its audit, thresholds as settings."""

from __future__ import annotations

import random

import highspy
import numpy as np
import polars as pl
import pytest

from pipelines.settings import Settings, Thresholds
from reports import disclosure_audit
from reports.confidentiality import (
    COUNT,
    INSUFFICIENT,
    MEDIAN,
    NOT_MEASURABLE,
    OTHER,
    PUBLISHED,
    RATE,
    SECONDARY,
    SMALL_COUNT,
    audit_cells,
    primary,
    protect,
    secondary,
)
from reports.disclosure_audit import Disclosure, audit
from reports.linked_suppression import counts_to_relieve

KEY = ["cellule"]


def _figures(rows: list[tuple]) -> pl.DataFrame:
    """(cellule, nature, valeur, denominateur, mesurable) rows."""
    return pl.DataFrame(
        rows,
        schema={
            "cellule": pl.String,
            "nature": pl.String,
            "valeur": pl.Float64,
            "denominateur": pl.Float64,
            "mesurable": pl.Boolean,
        },
        orient="row",
    )


def _counts(values: dict[str, float]) -> pl.DataFrame:
    return _figures([(k, COUNT, v, None, True) for k, v in values.items()])


def _relation(name: str, total: str, cells: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "relation": [name] * (len(cells) + 1),
            "cellule": [total, *cells],
            "total": [True] + [False] * len(cells),
        }
    )


def _status(frame: pl.DataFrame) -> dict[str, str]:
    return dict(frame.select("cellule", "statut").iter_rows())


def test_primary_rules_for_counts_rates_medians_and_other_figures() -> None:
    frame = _figures(
        [
            ("zero", COUNT, 0, None, True),
            ("un", COUNT, 1, None, True),
            ("quatre", COUNT, 4, None, True),
            ("cinq", COUNT, 5, None, True),
            ("taux_9", RATE, 0.5, 9, True),
            ("taux_10", RATE, 0.5, 10, True),
            ("taux_sans_denominateur", RATE, None, 0, True),
            ("cohorte", RATE, None, 40, False),
            ("mediane_9", MEDIAN, 120, 9, True),
            ("mediane_10", MEDIAN, 120, 10, True),
            ("etp", OTHER, 1.5, None, True),
        ]
    )
    assert _status(primary(frame, Thresholds())) == {
        "zero": PUBLISHED,
        "un": SMALL_COUNT,
        "quatre": SMALL_COUNT,
        "cinq": PUBLISHED,
        "taux_9": INSUFFICIENT,
        "taux_10": PUBLISHED,
        "taux_sans_denominateur": INSUFFICIENT,
        "cohorte": NOT_MEASURABLE,
        "mediane_9": INSUFFICIENT,
        "mediane_10": PUBLISHED,
        "etp": PUBLISHED,
    }


def test_thresholds_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IAE_SEUIL_EFFECTIF", "11")
    monkeypatch.setenv("IAE_SEUIL_DENOMINATEUR", "30")
    thresholds = Settings.from_env().thresholds
    frame = _figures([("dix", COUNT, 10, None, True), ("taux_20", RATE, 0.5, 20, True)])
    protected = protect(frame, _relation("r", "dix", []).head(0), KEY, thresholds).figures
    assert _status(protected) == {"dix": SMALL_COUNT, "taux_20": INSUFFICIENT}
    assert protected["texte_masque"].to_list() == ["secret", "effectif insuffisant"]


def test_one_hidden_cell_hides_the_smallest_other_non_zero_cell() -> None:
    frame = primary(_counts({"total": 20, "a": 3, "b": 0, "c": 8, "d": 9}), Thresholds())
    result = _status(secondary(frame, _relation("r", "total", ["a", "b", "c", "d"]), KEY))
    assert result == {
        "total": PUBLISHED,
        "a": SMALL_COUNT,
        "b": PUBLISHED,
        "c": SECONDARY,
        "d": PUBLISHED,
    }


def test_two_hidden_cells_need_nothing_more() -> None:
    frame = primary(_counts({"total": 20, "a": 3, "b": 2, "c": 15}), Thresholds())
    result = _status(secondary(frame, _relation("r", "total", ["a", "b", "c"]), KEY))
    assert result["c"] == PUBLISHED


def test_a_cell_equal_to_the_total_hides_the_total() -> None:
    frame = primary(_counts({"total": 3, "a": 3, "b": 0}), Thresholds())
    assert _status(secondary(frame, _relation("r", "total", ["a", "b"]), KEY))["total"] == (
        SMALL_COUNT
    )
    # Two names for one number: hiding one hides the other.
    same = primary(_counts({"retours": 12, "sorties_retour": 12, "x": 2, "t": 14}), Thresholds())
    relations = pl.concat(
        [
            _relation("meme", "retours", ["sorties_retour"]),
            _relation("t", "t", ["sorties_retour", "x"]),
        ]
    )
    result = _status(secondary(same, relations, KEY))
    assert result == {
        "retours": SECONDARY,
        "sorties_retour": SECONDARY,
        "x": SMALL_COUNT,
        "t": PUBLISHED,
    }


def test_a_relation_the_figures_do_not_satisfy_is_ignored() -> None:
    """A stock-flow identity broken by a missing delivery tells a reader nothing."""
    frame = primary(_counts({"total": 20, "a": 3, "b": 9}), Thresholds())
    result = _status(secondary(frame, _relation("r", "total", ["a", "b"]), KEY))
    assert result == {"total": PUBLISHED, "a": SMALL_COUNT, "b": PUBLISHED}


def test_suppression_cascades_across_relations() -> None:
    """A site hidden in its department hides another site, whose own breakdown then needs care."""
    frame = primary(
        _counts({"dep": 30, "s1": 2, "s2": 12, "s3": 16, "s2_m1": 6, "s2_m2": 6}), Thresholds()
    )
    relations = pl.concat(
        [_relation("dep", "dep", ["s1", "s2", "s3"]), _relation("s2", "s2", ["s2_m1", "s2_m2"])]
    )
    result = _status(secondary(frame, relations, KEY))
    assert result["s2"] == SECONDARY
    assert SECONDARY in (result["s2_m1"], result["s2_m2"])


def _exposed(protected: pl.DataFrame, relations: pl.DataFrame) -> pl.DataFrame:
    """Relations with exactly one hidden non-zero member: a figure recoverable by difference."""
    members = relations.join(protected.select("cellule", "supprime", "brut"), on="cellule")
    return (
        members.group_by("relation")
        .agg((pl.col("supprime") & (pl.col("brut") != 0)).sum().alias("caches"))
        .filter(pl.col("caches") == 1)
    )


@pytest.mark.parametrize("seed", range(20))
def test_no_hidden_count_is_recoverable_from_a_relation(seed: int) -> None:
    """Random nested tables (zones in zones, a breakdown per zone): none is left with one hidden cell."""
    rng = random.Random(seed)
    values: dict[str, float] = {}
    relations = []
    for region in range(3):
        departments = []
        for dep in range(rng.randint(1, 4)):
            name = f"d{region}{dep}"
            sites = [f"{name}s{s}" for s in range(rng.randint(1, 4))]
            for site in sites:
                parts = [rng.choice([0, 0, 1, 2, 3, 4, 6, 9, 15]) for _ in range(4)]
                values |= {f"{site}m{i}": v for i, v in enumerate(parts)}
                values[site] = sum(parts)
                relations.append(_relation(site, site, [f"{site}m{i}" for i in range(4)]))
            values[name] = sum(values[s] for s in sites)
            relations.append(_relation(name, name, sites))
            departments.append(name)
        values[f"r{region}"] = sum(values[d] for d in departments)
        relations.append(_relation(f"r{region}", f"r{region}", departments))
    frame = _counts(values).with_columns(pl.col("valeur").alias("brut"))
    all_relations = pl.concat(relations)
    protected = protect(frame, all_relations, KEY, Thresholds()).figures
    assert _exposed(protected, all_relations).height == 0
    assert (
        protected.filter(pl.col("supprime"))["valeur"].null_count() == protected["supprime"].sum()
    )


def test_the_audit_sees_what_relations_pinned_together_give_away() -> None:
    """20 = « secret » + « secret » + 16: the rule « two hidden cells per relation » holds, yet a
    reader knows both hidden counts are at most 4, which the audit reports."""
    cells = pl.DataFrame(
        {
            "cellule": ["t", "a", "b", "c"],
            "valeur": [20.0, 3.0, 1.0, 16.0],
            "cache": [False, True, True, False],
            "marque": [False, True, True, False],
        }
    )
    found = audit(cells, _relation("r", "t", ["a", "b", "c"]), KEY, 5)
    assert sorted(d.cle for d in found.disclosures) == [("a",), ("b",)]
    assert all(d.maximum == 4.0 for d in found.disclosures)


def test_effectif_insuffisant_bounds_the_count_a_reader_knows_it_describes() -> None:
    """A department's 8 releases, hidden, are its site A's hidden 2 plus site B's shown 6; its
    rate over them reads « effectif insuffisant », so a reader knows they are under the
    denominator threshold, hence A's releases at most that bound minus 6: under the count
    threshold, A's are pinned. Without the bound nothing is."""
    thresholds = Thresholds()
    ceiling = thresholds.min_denominator - 1
    cells = pl.DataFrame(
        {
            "cellule": ["departement", "a", "b"],
            "valeur": [8.0, 2.0, 6.0],
            "cache": [True, True, False],
            "marque": [True, True, False],
            "plafond": [float(ceiling), None, None],
        }
    )
    relation = _relation("zone", "departement", ["a", "b"])
    found = audit(cells, relation, KEY, thresholds.min_count)
    assert [(d.cle, d.maximum) for d in found.disclosures] == [(("a",), ceiling - 6.0)]
    assert not audit(cells.drop("plafond"), relation, KEY, thresholds.min_count).disclosures


def test_a_rate_too_few_to_print_bounds_its_denominator_count_and_its_sides() -> None:
    """A rate printed « effectif insuffisant » tells a reader its denominator's count and, for a
    share, its numerator and rest are under the denominator threshold; a shown rate and a rate
    over no published count bound nothing."""
    thresholds = Thresholds()
    frame = _shares(
        [
            ("D", "liberations", COUNT, False, 8, None),
            ("D", "taux_amenagement", RATE, True, 3, 8),
            ("D", "sorties", COUNT, False, 40, None),
            ("D", "taux_retour", RATE, True, 12, 40),
            ("D", "pmsmp_par_sortie", RATE, False, 2, 6),
        ]
    ).with_columns(
        pl.col("indicateur")
        .replace_strict({"taux_amenagement": "liberations", "taux_retour": "sorties"}, default=None)
        .alias("compte_denominateur")
    )
    judged = protect(frame, _members("r", ("D", "x"), []).head(0), SHARE_KEY, thresholds)
    bounds = dict(judged.cells.select("indicateur", "plafond").iter_rows())
    ceiling = thresholds.min_denominator - 1
    assert bounds["liberations"] == ceiling
    assert bounds["taux_amenagement|numerateur"] == bounds["taux_amenagement|reste"] == ceiling
    assert bounds["sorties"] is None and bounds["taux_retour|numerateur"] is None
    assert bounds["pmsmp_par_sortie|numerateur"] is None


def test_two_cohorts_too_few_to_print_bound_their_sum_not_only_each_side() -> None:
    """18 releases, shown, are a cohort released into a job or training (9, whose count is
    hidden) and a cohort released without (9): both rates read « effectif insuffisant », so a
    reader knows each cohort is under 10 people, hence both are 9: the hidden count is pinned.
    Bounding each rate's numerator and rest apart (each under 10) would let it range from 0 to 18."""
    thresholds = Thresholds()
    frame = _shares(
        [
            ("D", "liberations", COUNT, False, 18, None),
            ("D", "sorties_emploi_formation", COUNT, False, 9, None),
            ("D", "taux_avec", RATE, True, 2, 9),
            ("D", "taux_sans", RATE, True, 3, 9),
        ]
    ).with_columns(pl.lit(None, pl.String).alias("compte_denominateur"))
    cells = protect(frame, _members("r", ("D", "x"), []).head(0), SHARE_KEY, thresholds).cells
    ceiling = float(thresholds.min_denominator - 1)
    bases = cells.filter(pl.col("indicateur").str.ends_with("|base"))
    assert sorted(bases.select("indicateur", "valeur", "cache", "plafond").rows()) == [
        ("taux_avec|base", 9.0, True, ceiling),
        ("taux_sans|base", 9.0, True, ceiling),
    ]
    # Hidden elsewhere (secondary suppression), as the Paris figure the attack found.
    cells = cells.with_columns(
        (pl.col("cache") | (pl.col("indicateur") == "sorties_emploi_formation")).alias("cache")
    )
    cohorts = pl.concat(
        [
            _members(
                "cohorte_avec",
                ("D", "sorties_emploi_formation"),
                [("D", "taux_avec|numerateur"), ("D", "taux_avec|reste")],
            ),
            _members(
                "cohorte_sans",
                ("D", "liberations"),
                [
                    ("D", "taux_sans|numerateur"),
                    ("D", "taux_sans|reste"),
                    ("D", "sorties_emploi_formation"),
                ],
            ),
        ]
    )
    bases = pl.concat(
        _members(f"base_{r}", ("D", f"{r}|base"), [("D", f"{r}|numerateur"), ("D", f"{r}|reste")])
        for r in ("taux_avec", "taux_sans")
    )
    found = audit(cells, pl.concat([cohorts, bases]), SHARE_KEY, thresholds.min_count)
    pinned = {d.cle[-1]: (d.minimum, d.maximum) for d in found.disclosures}
    assert pinned["sorties_emploi_formation"] == (9.0, 9.0)
    apart = audit(cells, cohorts, SHARE_KEY, thresholds.min_count)
    assert "sorties_emploi_formation" not in {d.cle[-1] for d in apart.disclosures}


def test_the_audit_subtracts_along_the_relations_the_programmes_leave_out() -> None:
    """Results since opening: 392 = 353 + entries. With the entries hidden and both results shown,
    the entries are given back (39); a relation read by the programmes is theirs to judge, and
    two hidden members give nothing back on their own."""
    cells = pl.DataFrame(
        {
            "cellule": ["fin", "debut", "entrees", "t", "a", "b", "fin2", "debut2", "entrees2"],
            "valeur": [392.0, 353.0, 39.0, 10.0, 3.0, 7.0, 30.0, 27.0, 3.0],
            "cache": [False, False, True, False, True, False, True, False, True],
            "marque": [True] * 9,
        }
    )
    relations = pl.concat(
        [
            _relation("cumul", "fin", ["debut", "entrees"]).with_columns(stock_flux=True),
            _relation("zones", "t", ["a", "b"]).with_columns(stock_flux=False),
            _relation("cumul2", "fin2", ["debut2", "entrees2"]).with_columns(stock_flux=True),
        ]
    )
    [given] = disclosure_audit.given_back_alone(cells, relations, KEY)
    assert (given.cle, given.minimum, given.maximum, given.relation) == (
        ("entrees",),
        39,
        39,
        "cumul",
    )


def test_a_zero_is_hidden_where_secret_would_read_at_least_one() -> None:
    """DISP 6 = six departments of 1 (each « secret ») + one of 0: a reader who knew that a
    « secret » is never 0 would read 1 in each. One zero of the relation is hidden too, and then
    no department can be pinned: each could be 0, or 5 or more."""
    departments = {f"d{i}": 1.0 for i in range(6)} | {"z1": 0.0, "z2": 0.0}
    frame = _counts({"disp": 6.0, **departments})
    relations = _relation("disp", "disp", list(departments))
    protected = protect(frame, relations, KEY, Thresholds())
    status = _status(protected.figures)
    assert [status["z1"], status["z2"]] == [SECONDARY, PUBLISHED]
    assert all(status[f"d{i}"] == SMALL_COUNT for i in range(6))
    found = audit(protected.cells, relations, KEY, 5)
    assert not found.disclosures and not found.unproven


def test_linked_suppression_hides_what_the_audit_cannot_prove_protected() -> None:
    """20 = 3 + 1 + 16: the two small counts already make two hidden cells in the relation, yet
    a reader knows each is at most 4; protection hides the 16 as well, after which either
    small count could be 5 or more."""
    frame = _counts({"t": 20.0, "a": 3.0, "b": 1.0, "c": 16.0})
    relations = _relation("r", "t", ["a", "b", "c"])
    protected = protect(frame, relations, KEY, Thresholds())
    assert _status(protected.figures) == {
        "t": PUBLISHED,
        "a": SMALL_COUNT,
        "b": SMALL_COUNT,
        "c": SECONDARY,
    }
    found = audit(protected.cells, relations, KEY, 5)
    assert not found.disclosures and not found.unproven


def test_a_pinned_count_is_freed_by_hiding_a_count_its_bound_rests_on() -> None:
    """Relations 6 = a + b and U = b + c with a (2) and b (4) hidden, the others shown: a reader
    finds b = 5 − 1 and a = 6 − 4. The audit's bound on a rests on both relations; of the shown
    counts in them only the department's U is not a national figure, and freeing a needs it to
    move down (then b can), which the linear programme's duals tell as a negative weight."""
    key = ["maille", "cellule"]
    cells = pl.DataFrame(
        {
            "maille": ["nation", "departement", "departement", "departement", "nation"],
            "cellule": ["t", "a", "b", "u", "c"],
            "valeur": [6.0, 2.0, 4.0, 5.0, 1.0],
            "cache": [False, True, True, False, False],
            "marque": [False, True, True, False, False],
        }
    )
    relations = pl.concat([_relation("r", "t", ["a", "b"]), _relation("s", "u", ["b", "c"])]).join(
        cells.select(key), on="cellule"
    )
    found = audit(cells, relations, key, 5)
    assert sorted(d.cle for d in found.disclosures) == [("departement", "a"), ("departement", "b")]
    pinned_a = [d for d in found.disclosures if d.cle == ("departement", "a")]
    assert counts_to_relieve(pinned_a, cells, relations, key).rows() == [("departement", "u")]
    freed = cells.with_columns(pl.col("cache") | (pl.col("cellule") == "u"))
    found = audit(freed, relations, key, 5)
    assert not found.disclosures and not found.unproven


def _year_of_two_semesters() -> tuple[pl.DataFrame, pl.DataFrame]:
    """A year of 20 shown, its two semesters (11 and 9) hidden."""
    cells = pl.DataFrame(
        {
            "cellule": ["annee", "s1", "s2"],
            "valeur": [20.0, 11.0, 9.0],
            "cache": [False, True, True],
            "marque": [True, True, True],
        }
    )
    return cells, _relation("annee", "annee", ["s1", "s2"])


def test_the_audit_proves_counts_that_must_move_against_each_other() -> None:
    """A year of 20 shown, its two semesters (11 and 9) hidden: neither is determined, since
    one may gain what the other loses. Joint moves alone (no programme per count) prove both."""
    cells, relations = _year_of_two_semesters()
    found = audit(cells, relations, KEY, 5, budget=0)
    assert found.examined == 2
    assert not found.disclosures and not found.unproven


class _LostRestart:
    """A HiGHS model whose restart from its last optimum ends without one (status « unknown »)
    until its solver is cleared, as seen on a two-site inbox."""

    def __init__(self, highs: highspy.Highs) -> None:
        self._highs, self._lost = highs, True

    def __getattr__(self, name: str) -> object:
        return getattr(self._highs, name)

    def getModelStatus(self) -> highspy.HighsModelStatus:
        return highspy.HighsModelStatus.kUnknown if self._lost else self._highs.getModelStatus()

    def clearSolver(self) -> highspy.HighsStatus:
        self._lost = False
        return self._highs.clearSolver()


def test_a_solve_that_ends_without_an_optimum_is_run_again_afresh() -> None:
    cells, relations = _year_of_two_semesters()
    system = disclosure_audit._system(cells, relations, KEY, 5)
    highs, _ = disclosure_audit._model(system, np.arange(2))
    solution = disclosure_audit._solve(_LostRestart(highs), np.array([-1.0, 0.0]))
    assert solution is not None and solution.tolist() == [20.0, 0.0]  # s1 at its largest


def test_a_count_the_solver_could_not_bound_is_unproven_never_pinned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A programme without an optimum proves nothing either way: the counts are reported
    unproven (the publication still stops), not pinned at their own value."""
    monkeypatch.setattr(disclosure_audit, "_solve", lambda highs, costs: None)
    cells, relations = _year_of_two_semesters()
    found = audit(cells, relations, KEY, 5)
    assert not found.disclosures
    assert sorted(found.unproven) == [("s1",), ("s2",)]


def test_the_audit_finds_a_rate_left_beside_its_denominator() -> None:
    """A crafted leak: site A's 3 returns are hidden, but its share of returns is shown beside
    its 30 exits, so the share's numerator is 3 for every reader."""
    cells = pl.DataFrame(
        {
            "cellule": ["retours", "taux|numerateur", "taux|reste", "sorties"],
            "valeur": [3.0, 3.0, 27.0, 30.0],
            "cache": [True, False, False, False],
            "marque": [True, False, False, True],
        }
    )
    relations = pl.concat(
        [
            _relation("meme_mesure", "retours", ["taux|numerateur"]),
            _relation("taux", "sorties", ["taux|numerateur", "taux|reste"]),
        ]
    )
    found = audit(cells, relations, KEY, 5)
    assert [(d.cle, d.minimum, d.maximum, d.relation) for d in found.disclosures] == [
        (("retours",), 3.0, 3.0, "meme_mesure")
    ]


def test_hidden_figures_lose_their_numbers_and_say_why() -> None:
    frame = _figures([("a", COUNT, 3, None, True), ("t", RATE, 0.5, 4, True)]).with_columns(
        pl.lit(7.0).alias("numerateur")
    )
    protected = protect(frame, _relation("r", "a", []).head(0), KEY, Thresholds()).figures
    assert protected["valeur"].to_list() == [None, None]
    assert protected["numerateur"].to_list() == [None, None]
    assert protected["denominateur"].to_list() == [None, None]
    assert protected["texte_masque"].to_list() == ["secret", "effectif insuffisant"]


SHARE_KEY = ["maille", "code_zone", "periode", "indicateur"]


def _shares(rows: list[tuple]) -> pl.DataFrame:
    """(zone, indicateur, nature, part, numerateur, denominateur) rows, one period."""
    return pl.DataFrame(
        [
            ("departement" if z == "D" else "site", z, "2026-S1", i, n, part, num, den)
            for z, i, n, part, num, den in rows
        ],
        schema={
            "maille": pl.String,
            "code_zone": pl.String,
            "periode": pl.String,
            "indicateur": pl.String,
            "nature": pl.String,
            "part": pl.Boolean,
            "numerateur": pl.Float64,
            "denominateur": pl.Float64,
        },
        orient="row",
    ).with_columns(
        pl.when(pl.col("nature") == COUNT)
        .then(pl.col("numerateur"))
        .otherwise(pl.col("numerateur") / pl.col("denominateur"))
        .alias("valeur"),
        pl.lit(True).alias("mesurable"),
    )


def _members(relation: str, total: tuple[str, str], cells: list[tuple[str, str]]) -> pl.DataFrame:
    rows = [(relation, *total, True)] + [(relation, *c, False) for c in cells]
    return pl.DataFrame(
        [(r, "departement" if z == "D" else "site", z, "2026-S1", i, t) for r, z, i, t in rows],
        schema=["relation", "maille", "code_zone", "periode", "indicateur", "total"],
        orient="row",
    )


def _shown(protected: pl.DataFrame) -> dict[tuple[str, str], str | None]:
    return {(r["code_zone"], r["indicateur"]): r["texte_masque"] for r in protected.to_dicts()}


def test_a_share_is_hidden_when_its_numerator_or_its_rest_is_a_small_count() -> None:
    """4 of 40 gives 4 people back; 11 of 12 gives the one person outside; 20 of 40 is safe."""
    frame = _shares(
        [
            ("A", "taux_petit_numerateur", RATE, True, 4, 40),
            ("A", "taux_petit_reste", RATE, True, 11, 12),
            ("A", "taux_sur", RATE, True, 20, 40),
            ("A", "taux_occupation", OTHER, False, 4.3, 5.0),
        ]
    )
    protected = protect(
        frame, _members("r", ("A", "x"), []).head(0), SHARE_KEY, Thresholds()
    ).figures
    assert _shown(protected) == {
        ("A", "taux_petit_numerateur"): "secret",
        ("A", "taux_petit_reste"): "secret",
        ("A", "taux_sur"): None,
        ("A", "taux_occupation"): None,
    }


def test_a_rate_that_is_no_share_is_hidden_when_its_numerator_is_a_small_count() -> None:
    """1 PMSMP among 12 exits (8,3 %) gives the one PMSMP back; 30 among 12 exits is safe (a
    rate per exit may pass 100 %: it has no rest to judge)."""
    frame = _shares(
        [
            ("A", "pmsmp_par_sortie_peu", RATE, False, 1, 12),
            ("A", "pmsmp_par_sortie", RATE, False, 30, 12),
        ]
    )
    protected = protect(
        frame, _members("r", ("A", "x"), []).head(0), SHARE_KEY, Thresholds()
    ).figures
    assert _shown(protected) == {
        ("A", "pmsmp_par_sortie_peu"): "secret",
        ("A", "pmsmp_par_sortie"): None,
    }


@pytest.mark.parametrize(
    ("count", "rate", "share", "bases"),
    [
        ("retours", "taux_retour", True, (30, 50)),
        ("pmsmp", "pmsmp_par_sortie", False, (12, 30)),
    ],
    ids=["part", "taux_sans_reste"],
)
def test_a_rate_hides_with_the_count_its_numerator_is(
    count: str, rate: str, share: bool, bases: tuple[int, int]
) -> None:
    """Site A's 3 hide, so does site B's 6 (the department's 9 would give A's back); B's rate
    beside its base would give the 6 back, whether a share of returns or PMSMP per exit (no
    rest: it may pass 100 %): it must go too, while the department's, whose count stays shown,
    stays."""
    frame = _shares(
        [
            ("A", count, COUNT, False, 3, None),
            ("B", count, COUNT, False, 6, None),
            ("D", count, COUNT, False, 9, None),
            ("B", rate, RATE, share, 6, bases[0]),
            ("D", rate, RATE, share, 9, bases[1]),
        ]
    )
    relations = pl.concat(
        [
            _members("zone", ("D", count), [("A", count), ("B", count)]),
            *(
                _members(f"{z}|meme_mesure", (z, count), [(z, f"{rate}|numerateur")])
                for z in ("B", "D")
            ),
        ]
    )
    shown = _shown(protect(frame, relations, SHARE_KEY, Thresholds()).figures)
    assert shown[("A", count)] == "secret"
    assert shown[("B", count)] == "secret"
    assert shown[("B", rate)] == "secret"
    assert shown[("D", rate)] is None
    assert ("B", f"{rate}|reste") not in shown


def test_a_rate_per_exit_hides_where_the_exits_hide() -> None:
    """Hérault's 19 exits hide (the DISP's 88 less its other departments would give the 3 of
    site A back otherwise), yet « 14 trainings, 0,74 per exit » gives 19 exits whose trainings are
    known back (14 / 0,74 ≈ 18,9), nearly always all of them: the rate goes with its exits, and
    stays where they are shown."""
    frame = _shares(
        [
            ("A", "sorties", COUNT, False, 3, None),
            ("B", "sorties", COUNT, False, 16, None),
            ("D", "sorties", COUNT, False, 19, None),
            ("B", "formations_par_sortie", RATE, False, 12, 16),
            ("D", "formations_par_sortie", RATE, False, 14, 19),
            ("D", "taux_sortants_formes", RATE, True, 9, 19),
        ]
    ).with_columns(pl.when(pl.col("nature") == RATE).then(pl.lit("sorties")).alias("compte_parmi"))
    relations = _members("zone", ("D", "sorties"), [("A", "sorties"), ("B", "sorties")])
    shown = _shown(protect(frame, relations, SHARE_KEY, Thresholds()).figures)
    assert shown[("A", "sorties")] == shown[("B", "sorties")] == "secret"
    assert shown[("D", "sorties")] is None
    assert shown[("B", "formations_par_sortie")] == "secret"
    assert shown[("D", "formations_par_sortie")] is None
    assert shown[("D", "taux_sortants_formes")] is None


def test_a_turnover_rate_does_not_give_back_the_entries_through_its_base() -> None:
    """27 pathways open on the first day, 3 entries (hidden), 18 exits: 30 active, 12 present at
    the end. The turnover, 18 exits over the mean of 27 and 12, would give 27 back, so the entries
    (30 − 27): it is hidden with its base while the stocks and exits stay shown."""
    first_day, entries, exits = 27, 3, 18
    active = first_day + entries
    present = active - exits
    frame = _shares(
        [
            ("D", "entrees", COUNT, False, entries, None),
            ("D", "sorties", COUNT, False, exits, None),
            ("D", "file_active", COUNT, False, active, None),
            ("D", "presents_fin", COUNT, False, present, None),
            ("D", "taux_rotation", RATE, False, exits, (first_day + present) / 2),
        ]
    ).with_columns((pl.col("indicateur") == "taux_rotation").alias("base_moyenne"))
    relations = pl.concat(
        [
            _members("stock", ("D", "file_active"), [("D", "presents_fin"), ("D", "sorties")]),
            _members("moyenne", ("D", "file_active"), [("D", "taux_rotation|base")]),
            _members("moyenne", ("D", "presents_fin"), [("D", "entrees")]),
            _members("meme_mesure", ("D", "sorties"), [("D", "taux_rotation|numerateur")]),
        ]
    )
    shown = _shown(protect(frame, relations, SHARE_KEY, Thresholds()).figures)
    assert shown == {
        ("D", "entrees"): "secret",
        ("D", "sorties"): None,
        ("D", "file_active"): None,
        ("D", "presents_fin"): None,
        ("D", "taux_rotation"): "secret",
    }


def test_a_figure_not_measurable_says_why() -> None:
    frame = _shares(
        [
            ("A", "entrees", COUNT, False, None, None),
            ("A", "taux_reincarceration_6m", RATE, True, None, None),
        ]
    ).with_columns(
        pl.lit(False).alias("mesurable"),
        pl.Series("motif_non_mesurable", ["livraison_manquante", "extrait_manquant"]),
    )
    protected = protect(
        frame, _members("r", ("A", "x"), []).head(0), SHARE_KEY, Thresholds()
    ).figures
    assert protected["texte_masque"].to_list() == [
        "livraison manquante",
        "extrait national manquant",
    ]


def test_a_national_figure_is_hidden_as_a_category_or_else_as_a_last_resort() -> None:
    """National exits 20 = 3 + 1 + 16 by reason: only another national figure can let the two
    small ones reach 5. A category of a breakdown may be hidden in the priced rounds, so the 16
    is. The same figures as semesters of a year (no categories) are hidden only as the last
    resort, when nothing else can widen the bound: the cheapest, the 16 again, rather than the
    publication stopped; the year stays."""
    key = ["maille", "cellule"]
    frame = _counts({"t": 20.0, "a": 3.0, "b": 1.0, "c": 16.0}).with_columns(
        maille=pl.lit("nation")
    )
    expected = {"t": PUBLISHED, "a": SMALL_COUNT, "b": SMALL_COUNT, "c": SECONDARY}
    for categories in (True, False):
        relations = _relation("r", "t", ["a", "b", "c"]).with_columns(
            maille=pl.lit("nation"), categorie=~pl.col("total") & categories
        )
        protected = protect(frame, relations, key, Thresholds())
        assert _status(protected.figures) == expected
        found = audit(protected.cells, relations, key, 5)
        assert not found.disclosures and not found.unproven


def test_a_count_pinned_only_through_other_relations_is_freed_by_the_priced_rounds() -> None:
    """Two sites of one SIAE type: R in department 35 both semesters (6 then 4), F in department 94
    from the second semester only (9). The small 4 hides its department's semester, then F's 9
    beside it, and so on up the semesters, until only the two years are shown: type 19 = R's
    year + F's second semester, department 35's year 10 = R's year, so F's 9 is pinned (and department 94's). No
    relation holding the 9 has a shown count left to hide (the rounds before the priced ones
    choose nothing); the priced rounds hide what its bound rests on."""
    key = ["maille", "cellule"]
    values = {
        ("site", "r_s1"): 6.0,
        ("site", "r_s2"): 4.0,
        ("site", "f_s2"): 9.0,
        ("departement", "d35_s1"): 6.0,
        ("departement", "d35_s2"): 4.0,
        ("departement", "d35_an"): 10.0,
        ("departement", "d94_s2"): 9.0,
        ("departement", "d94_an"): 9.0,
        ("type_siae", "t_s1"): 6.0,
        ("type_siae", "t_s2"): 13.0,
        ("type_siae", "t_an"): 19.0,
    }
    frame = _counts({cell: value for (_, cell), value in values.items()}).with_columns(
        maille=pl.col("cellule").replace_strict({c: m for m, c in values})
    )
    relations = pl.concat(
        [
            _relation("d35_s1", "d35_s1", ["r_s1"]),
            _relation("d35_s2", "d35_s2", ["r_s2"]),
            _relation("d94_s2", "d94_s2", ["f_s2"]),
            _relation("t_s1", "t_s1", ["r_s1"]),
            _relation("t_s2", "t_s2", ["r_s2", "f_s2"]),
            _relation("d35_an", "d35_an", ["d35_s1", "d35_s2"]),
            _relation("d94_an", "d94_an", ["d94_s2"]),
            _relation("t_an", "t_an", ["t_s1", "t_s2"]),
        ]
    ).join(frame.select(key), on="cellule")
    pinned_before_pricing = audit(
        audit_cells(secondary(primary(frame, Thresholds()), relations, key), key, Thresholds()),
        relations,
        key,
        5,
    )
    assert sorted(d.cle for d in pinned_before_pricing.disclosures) == [
        ("departement", "d94_an"),
        ("departement", "d94_s2"),
        ("site", "f_s2"),
    ]

    protected = protect(frame, relations, key, Thresholds())
    found = audit(protected.cells, relations, key, 5)
    assert not found.disclosures and not found.unproven
    assert _status(protected.figures)["d35_an"] == SECONDARY  # the cheapest bound to relieve


def test_a_count_still_pinned_gets_more_counts_hidden_each_round() -> None:
    """A pinned count of a relation with nine shown parts beside it: its cheapest four are
    hidden the first round it is found pinned, eight the second round in a row (the bound the
    duals name is one way it holds; the next cheapest may carry another)."""
    parts = [f"b{n}" for n in range(1, 10)]
    cells = pl.DataFrame(
        {
            "cellule": ["t", "a", *parts],
            "valeur": [100.0, 10.0, *[10.0] * 9],
            "cache": [False, True, *[False] * 9],
            "marque": [True] * 11,
        }
    )
    relations = _relation("r", "t", ["a", *parts])
    pinned = [Disclosure(("a",), 10.0, 10.0, 10.0, "r", (("r", 1.0),))]
    first = counts_to_relieve(pinned, cells, relations, KEY, [1])
    second = counts_to_relieve(pinned, cells, relations, KEY, [2])
    assert first["cellule"].to_list() == parts[:4]
    assert second["cellule"].to_list() == parts[:8]


def test_a_national_total_is_hidden_when_nothing_else_can_protect_a_count() -> None:
    """Three sites' national exits (19) by reason, and their releases (15) by kind: the two small
    reasons (3 and 1) are all the rest, 19 − 15, so neither can reach 5 whatever else is hidden
    among the reasons. Only a national total can widen them: the releases, the cheaper, are
    hidden rather than the publication stopped; the exits stay."""
    key = ["maille", "cellule"]
    values = {"sorties": 19.0, "liberations": 15.0, "retour": 3.0, "transfert": 1.0}
    values |= {"amenagement": 9.0, "fin_de_peine": 6.0}
    frame = _counts(values).with_columns(maille=pl.lit("nation"))
    reasons = _relation("motifs", "sorties", ["retour", "transfert", "amenagement", "fin_de_peine"])
    releases = _relation("liberations", "liberations", ["amenagement", "fin_de_peine"])
    relations = pl.concat([reasons, releases]).with_columns(
        maille=pl.lit("nation"), categorie=~pl.col("total")
    )
    protected = protect(frame, relations, key, Thresholds())
    found = audit(protected.cells, relations, key, 5)
    assert not found.disclosures and not found.unproven
    status = _status(protected.figures)
    assert status["liberations"] == SECONDARY and status["sorties"] == PUBLISHED
