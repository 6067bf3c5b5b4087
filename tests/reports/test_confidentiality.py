"""Statistical confidentiality (docs/publication.md): primary suppression, linked secondary suppression and its audit, thresholds as settings."""

from __future__ import annotations

import random

import polars as pl
import pytest

from pipelines.settings import Settings, Thresholds
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
    primary,
    protect,
)
from reports.disclosure_audit import audit

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


def _protected(values: dict[str, float], relations: pl.DataFrame) -> dict[str, str]:
    """Statuses after protection, checked by the audit (with and without its certificates)."""
    protected = protect(_counts(values), relations, KEY, Thresholds())
    for certificates in (protected.certificates, None):
        found = audit(protected.cells, relations, KEY, 5, certificates)
        assert found.disclosures == [] and found.unproven == []
    return _status(protected.figures)


def test_a_hidden_count_needs_another_hidden_count_in_its_relation() -> None:
    result = _protected(
        {"total": 20, "a": 3, "b": 0, "c": 8, "d": 9},
        _relation("r", "total", ["a", "b", "c", "d"]),
    )
    assert result["a"] == SMALL_COUNT
    assert result["b"] == PUBLISHED  # zeros are always printed
    assert sorted([result["c"], result["d"]]) == [PUBLISHED, SECONDARY]
    assert result["total"] == PUBLISHED


def test_two_small_hidden_counts_are_not_enough() -> None:
    """20 = « secret » + « secret » + 15 says both are under 5: a larger count must go too."""
    result = _protected(
        {"total": 20, "a": 3, "b": 2, "c": 15}, _relation("r", "total", ["a", "b", "c"])
    )
    assert result == {"total": PUBLISHED, "a": SMALL_COUNT, "b": SMALL_COUNT, "c": SECONDARY}


def test_a_relation_the_figures_do_not_satisfy_is_ignored() -> None:
    """A stock-flow identity broken by a missing delivery tells a reader nothing."""
    result = _protected({"total": 20, "a": 3, "b": 9}, _relation("r", "total", ["a", "b"]))
    assert result == {"total": PUBLISHED, "a": SMALL_COUNT, "b": PUBLISHED}


def test_suppression_works_on_the_linked_tables_at_once() -> None:
    """DISP = 11 + 6 + 8 + 7 + two small departments: hiding the two small ones leaves each
    between 1 and 7 at best, but a department's own breakdown pins it unless it moves too."""
    values = {"disp": 40, "d1": 11, "d2": 6, "d3": 8, "d4": 7, "d5": 4, "d6": 4}
    values |= {"d5_a": 2, "d5_b": 2, "d6_a": 4, "d6_b": 0}
    relations = pl.concat(
        [
            _relation("disp", "disp", ["d1", "d2", "d3", "d4", "d5", "d6"]),
            _relation("d5", "d5", ["d5_a", "d5_b"]),
            _relation("d6", "d6", ["d6_a", "d6_b"]),
        ]
    )
    result = _protected(values, relations)
    assert result["d5"] == result["d6"] == SMALL_COUNT
    assert [c for c in ("d1", "d2", "d3", "d4") if result[c] == SECONDARY]
    assert result["disp"] == PUBLISHED


@pytest.mark.parametrize("seed", range(12))
def test_random_nested_tables_pass_the_audit(seed: int) -> None:
    """Zones in zones with a breakdown per zone: after protection, a reader holding everything
    can pin no hidden count (the audit, with and without the protection's certificates)."""
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
    result = _protected(values, pl.concat(relations))
    assert all(result[k] == SMALL_COUNT for k, v in values.items() if 1 <= v < 5)


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


def test_a_share_hides_with_the_count_its_numerator_is() -> None:
    """Site A's 3 returns hide; site B's share of returns would give B's returns, and the
    department's 9 minus B's would give A's: B's share must go too."""
    frame = _shares(
        [
            ("A", "retours", COUNT, False, 3, None),
            ("B", "retours", COUNT, False, 6, None),
            ("D", "retours", COUNT, False, 9, None),
            ("B", "taux_retour", RATE, True, 6, 30),
            ("D", "taux_retour", RATE, True, 9, 50),
        ]
    )
    relations = pl.concat(
        [
            _members("zone", ("D", "retours"), [("A", "retours"), ("B", "retours")]),
            _members("meme_B", ("B", "retours"), [("B", "taux_retour|numerateur")]),
            _members("meme_D", ("D", "retours"), [("D", "taux_retour|numerateur")]),
        ]
    )
    shown = _shown(protect(frame, relations, SHARE_KEY, Thresholds()).figures)
    assert shown[("A", "retours")] == "secret"
    assert shown[("B", "retours")] == "secret"
    assert shown[("B", "taux_retour")] == "secret"
    assert shown[("D", "taux_retour")] is None


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
