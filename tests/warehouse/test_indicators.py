"""The indicators of docs/indicateurs.md, at every grain and period, against a hand-built warehouse."""

from __future__ import annotations

import math
from datetime import date

import duckdb
import pytest

from pipelines.catalog import load_catalog
from pipelines.periods import Semester
from pipelines.warehouse.models import build_all
from tests.warehouse.expected_indicators import FULL_TIME_HOURS, RELEASES, expected_indicators
from tests.warehouse.warehouse_fixture import (
    Fixture,
    build_fixture,
    hours,
    load_fixture,
    without_national_extract,
)


def _build(con: duckdb.DuckDBPyConnection, fx: Fixture) -> None:
    load_fixture(con, fx)
    build_all(con, FULL_TIME_HOURS)


@pytest.fixture
def fixture() -> Fixture:
    return build_fixture()


@pytest.fixture
def built(warehouse: duckdb.DuckDBPyConnection, fixture: Fixture) -> duckdb.DuckDBPyConnection:
    _build(warehouse, fixture)
    return warehouse


def _actual(con: duckdb.DuckDBPyConnection) -> dict[tuple, tuple]:
    rows = con.sql(
        "SELECT maille, code_zone, type_periode, periode, indicateur, "
        "numerateur, denominateur, valeur, mesurable FROM indicateurs"
    ).fetchall()
    return {row[:5]: row[5:] for row in rows}


def _same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (
        a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    )


def test_fixture_exercises_every_kind_of_exit(fixture: Fixture) -> None:
    from pipelines.codes import load_codes

    motifs = {p.motif for p in fixture.pathways}
    situations = {p.situation for p in fixture.pathways}
    assert set(load_codes()["motif_sortie"].values) <= motifs
    assert set(load_codes()["situation_sortie"].values) <= situations
    assert None in motifs  # and pathways still open


def test_every_indicator_at_every_grain_matches_its_definition(
    built: duckdb.DuckDBPyConnection, fixture: Fixture
) -> None:
    expected = expected_indicators(fixture)
    actual = _actual(built)
    assert set(actual) == set(expected)
    wrong = {
        key: (actual[key], want)
        for key, want in expected.items()
        if not (
            all(_same(a, b) for a, b in zip(actual[key][:3], want[:3], strict=True))
            and actual[key][3] == want[3]
        )
    }
    assert wrong == {}
    catalog_ids = {i.id for i in load_catalog().indicators}
    assert {key[4] for key in expected} == catalog_ids
    assert {key[0] for key in expected} == {
        "site", "departement", "region", "disp", "type_siae", "type_etablissement", "nation"
    }  # fmt: skip
    assert {key[2] for key in expected} == {"semestre", "annee"}


def test_zones_without_open_sites_get_no_rows(built: duckdb.DuckDBPyConnection) -> None:
    first = built.sql(
        "SELECT min(periode) FROM indicateurs WHERE code_zone = '77-beta' AND type_periode = 'semestre'"
    ).fetchall()
    closed = built.sql(
        "SELECT count(*) FROM indicateurs WHERE code_zone = '13-delta' AND periode = '2026-S1'"
    ).fetchall()
    assert first == [("2025-S1",)] and closed == [(0,)]
    zeros = built.sql(
        "SELECT valeur FROM indicateurs WHERE code_zone = '77-beta' AND periode = '2025-S1' "
        "AND indicateur = 'sorties_deces'"
    ).fetchall()
    assert zeros == [(0.0,)]


def test_only_deliveries_in_force_and_latest_states_are_used(
    built: duckdb.DuckDBPyConnection, fixture: Fixture
) -> None:
    assert built.sql("SELECT count(*) FROM parcours WHERE identifiant = 'STALE'").fetchall() == [
        (0,)
    ]
    assert built.sql(
        "SELECT count(*) FROM raw_parcours WHERE identifiant = 'STALE'"
    ).fetchall() == [(1,)]
    corrected = next(
        p for p in fixture.pathways if p.diplome_avant is not None and p.diplome != p.diplome_avant
    )
    stored = built.sql(
        "SELECT niveau_diplome FROM parcours WHERE identifiant = ? AND date_entree = ?",
        params=[corrected.person, corrected.entree],
    ).fetchall()
    assert stored == [(corrected.diplome,)]
    assert built.sql("SELECT count(*) FROM parcours").fetchall() == [(len(fixture.pathways),)]


def _chain_breaks(
    con: duckdb.DuckDBPyConnection, child: str, parent: str, parent_code: str
) -> list:
    """Rows where the sum of the children's numerators or denominators differs from the parent's."""
    return con.sql(
        f"""
        WITH enfants AS (
            SELECT {parent_code} AS code_parent, i.type_periode, i.periode, i.indicateur,
                sum(i.numerateur) AS numerateur, sum(i.denominateur) AS denominateur
            FROM indicateurs AS i
            JOIN zones AS z ON z.maille = i.maille AND z.code_zone = i.code_zone
            JOIN catalogue_indicateurs AS c ON c.id = i.indicateur
            WHERE i.maille = '{child}' AND c.methode IN ('somme', 'rapport')
            GROUP BY ALL
        )
        SELECT e.*, p.numerateur, p.denominateur
        FROM enfants AS e
        FULL JOIN (
            SELECT * FROM indicateurs
            WHERE maille = '{parent}'
                AND indicateur IN (SELECT id FROM catalogue_indicateurs WHERE methode IN ('somme', 'rapport'))
        ) AS p
            ON p.code_zone = e.code_parent AND p.type_periode = e.type_periode
            AND p.periode = e.periode AND p.indicateur = e.indicateur
        WHERE e.indicateur IS NULL OR p.indicateur IS NULL
            OR abs(coalesce(e.numerateur, 0) - coalesce(p.numerateur, 0)) > 1e-9
            OR abs(coalesce(e.denominateur, 0) - coalesce(p.denominateur, 0)) > 1e-9
            OR (e.numerateur IS NULL) <> (p.numerateur IS NULL)
        """
    ).fetchall()


def test_site_sums_equal_department_disp_and_national_figures(
    built: duckdb.DuckDBPyConnection,
) -> None:
    assert _chain_breaks(built, "site", "departement", "z.code_departement") == []
    assert _chain_breaks(built, "departement", "region", "'R' || z.code_region") == []
    assert _chain_breaks(built, "region", "disp", "z.code_disp") == []
    assert _chain_breaks(built, "disp", "nation", "'FR'") == []
    # The types of SIAE and of prison each split the sites: their sums are the nation's.
    assert _chain_breaks(built, "type_siae", "nation", "'FR'") == []
    assert _chain_breaks(built, "type_etablissement", "nation", "'FR'") == []
    counted = built.sql(
        "SELECT count(DISTINCT indicateur) FROM indicateurs i JOIN catalogue_indicateurs c "
        "ON c.id = i.indicateur WHERE c.unite = 'nombre' AND i.maille = 'nation' AND i.valeur > 0"
    ).fetchall()[0][0]
    assert counted > 20  # the equality above is not between zeros


def test_control_views_are_empty_and_catch_a_broken_figure(
    built: duckdb.DuckDBPyConnection,
) -> None:
    assert built.sql("SELECT count(*) FROM controle_additivite").fetchall() == [(0,)]
    assert built.sql("SELECT count(*) FROM controle_taux").fetchall() == [(0,)]
    built.execute(
        "UPDATE indicateurs SET numerateur = numerateur + 1, valeur = 1.5 "
        "WHERE maille = 'departement' AND code_zone = '77' AND periode = '2025' "
        "AND indicateur = 'taux_sortie_emploi_formation'"
    )
    assert built.sql("SELECT count(*) FROM controle_additivite").fetchall() == [(1,)]
    assert built.sql("SELECT indicateur FROM controle_taux").fetchall() == [
        ("taux_sortie_emploi_formation",)
    ]


def test_a_cohort_whose_window_has_not_elapsed_is_not_measurable(
    built: duckdb.DuckDBPyConnection,
) -> None:
    rows = built.sql(
        "SELECT periode, indicateur, numerateur, denominateur, valeur, mesurable FROM indicateurs "
        "WHERE maille = 'nation' AND indicateur LIKE 'taux_reincarceration_%' ORDER BY ALL"
    ).fetchall()
    by_key = {(r[0], r[1]): r[2:] for r in rows}
    # Re-incarcerations are known up to 2026-06-30: the 2026-S1 cohort is not measurable at
    # 6 months, 2025-S2 is at 6 but not at 12, 2025 (year) likewise.
    for key in [
        ("2026-S1", "taux_reincarceration_6m"),
        ("2025-S2", "taux_reincarceration_12m"),
        ("2025", "taux_reincarceration_12m"),
        ("2026", "taux_reincarceration_6m"),
    ]:
        numerateur, cohort, valeur, mesurable = by_key[key]
        assert (numerateur, valeur, mesurable) == (None, None, False) and cohort > 0, key
    for key in [
        ("2025-S2", "taux_reincarceration_6m"),
        ("2025-S1", "taux_reincarceration_12m"),
        ("2024", "taux_reincarceration_12m"),
    ]:
        numerateur, cohort, valeur, mesurable = by_key[key]
        assert mesurable and cohort > 0 and valeur == numerateur / cohort, key


def test_without_national_extract_no_cohort_is_measurable(
    warehouse: duckdb.DuckDBPyConnection, fixture: Fixture
) -> None:
    _build(warehouse, without_national_extract(fixture))
    rows = warehouse.sql(
        "SELECT DISTINCT mesurable, valeur IS NULL, numerateur IS NULL FROM indicateurs "
        "WHERE indicateur LIKE 'taux_reincarceration_%'"
    ).fetchall()
    assert rows == [(False, True, True)]
    reference = warehouse.sql(
        "SELECT date_reference_donnees, date_reference_reincarcerations FROM date_reference"
    ).fetchall()
    assert [tuple(str(d) if d else None for d in r) for r in reference] == [("2026-06-30", None)]


def _indicator(
    con: duckdb.DuckDBPyConnection, columns: str, zone: str, period: str, indicator: str
) -> tuple:
    """`columns` of one row of `indicateurs`."""
    return con.sql(
        f"SELECT {columns} FROM indicateurs WHERE code_zone = ? AND periode = ? AND indicateur = ?",
        params=[zone, period, indicator],
    ).fetchall()[0]


def _without_parcours(
    warehouse: duckdb.DuckDBPyConnection, fixture: Fixture, sites: list[str]
) -> duckdb.DuckDBPyConnection:
    """The fixture's warehouse where `sites` never sent their 2025-S1 parcours."""
    load_fixture(warehouse, fixture)
    missing = "code_site IN $sites AND periode = '2025-S1'"
    warehouse.execute(f"DELETE FROM raw_parcours WHERE {missing}", {"sites": sites})
    warehouse.execute(
        f"DELETE FROM livraisons WHERE {missing} AND type_export = 'parcours'", {"sites": sites}
    )
    build_all(warehouse, FULL_TIME_HOURS)
    return warehouse


@pytest.fixture
def without_gamma_2025_s1(
    warehouse: duckdb.DuckDBPyConnection, fixture: Fixture
) -> duckdb.DuckDBPyConnection:
    """The fixture's warehouse where 13-gamma never sent its 2025-S1 parcours."""
    return _without_parcours(warehouse, fixture, ["13-gamma"])


def test_a_missing_delivery_is_not_measurable_and_totals_cover_the_sites_that_delivered(
    without_gamma_2025_s1: duckdb.DuckDBPyConnection, fixture: Fixture
) -> None:
    """13-gamma never sent its 2025-S1 parcours: that semester and its year are « livraison
    manquante » for every parcours figure (never 0), its staff figures stay measurable, department
    13 adds up 13-delta alone and says so, and no pathway is carried over into 2025-S2."""

    def row(zone: str, period: str, indicator: str) -> tuple:
        columns = (
            "valeur, denominateur, mesurable, motif_non_mesurable, sites_couverts, sites_ouverts"
        )
        return _indicator(without_gamma_2025_s1, columns, zone, period, indicator)

    for period in ("2025-S1", "2025"):
        for indicator in ("entrees", "presents_fin", "taux_occupation", "duree_parcours_mediane"):
            assert row("13-gamma", period, indicator)[:4] == (
                None,
                None,
                False,
                "livraison_manquante",
            ), (period, indicator)
    assert row("13-gamma", "2025-S1", "taux_rotation_personnel")[2] is True

    gamma, delta = fixture.site("13-gamma"), fixture.site("13-delta")
    first_half = (date(2025, 1, 1), date(2025, 6, 30))
    delta_entries = sum(
        1
        for p in fixture.pathways
        if p.site == delta.code and first_half[0] <= p.entree <= first_half[1]
    )
    assert row("13", "2025-S1", "entrees")[0] == delta_entries
    assert row("13", "2025-S1", "entrees")[4:] == (1, 2)
    days = (first_half[1] - first_half[0]).days + 1
    assert math.isclose(
        row("13", "2025-S1", "taux_occupation")[1], delta.etp * delta.open_days(*first_half) / days
    )
    assert row("13", "2025", "entrees")[4:] == (1, 2)

    # Pathways last listed open in 2024-S2 that ended during the missing semester: the 2025-S2
    # file does not list them, so they are not present then.
    gamma_pathways = [p for p in fixture.pathways if p.site == gamma.code]
    assert any(
        p.is_open_during(date(2024, 12, 31), date(2024, 12, 31))
        and p.sortie
        and first_half[0] <= p.sortie <= first_half[1]
        for p in gamma_pathways
    )
    end = date(2025, 12, 31)
    present = sum(
        1 for p in gamma_pathways if p.entree <= end and (p.sortie is None or p.sortie > end)
    )
    assert row("13-gamma", "2025-S2", "presents_fin")[0] == present
    s2_hours = sum(
        hours(p, Semester(2025, 2))
        for p in gamma_pathways
        if p.is_open_during(date(2025, 7, 1), end)
    )
    occupancy, posts = row("13-gamma", "2025-S2", "taux_occupation")[:2]
    assert math.isclose(occupancy * posts, s2_hours / (FULL_TIME_HOURS * 184 / 365))


def test_a_year_adds_up_the_semesters_each_site_delivered(
    without_gamma_2025_s1: duckdb.DuckDBPyConnection, fixture: Fixture
) -> None:
    """13-gamma sent its 2025-S2 parcours but not its 2025-S1 one. Department 13's 2025 counts of
    events are the sums of its semesters (13-delta's year and 13-gamma's second semester), its
    present at the end of 2025 is that of 2025-S2 (both sites), and what covers the whole year
    (file active) counts 13-delta alone, as does 13-gamma's own year: not measurable."""

    def value(zone: str, period: str, indicator: str) -> float | None:
        return _indicator(without_gamma_2025_s1, "valeur", zone, period, indicator)[0]

    year, second_half = (
        (date(2025, 1, 1), date(2025, 12, 31)),
        (date(2025, 7, 1), date(2025, 12, 31)),
    )
    delta = [p for p in fixture.pathways if p.site == "13-delta"]
    gamma = [p for p in fixture.pathways if p.site == "13-gamma"]

    def between(day: date | None, period: tuple[date, date]) -> bool:
        return day is not None and period[0] <= day <= period[1]

    entries = sum(between(p.entree, year) for p in delta) + sum(
        between(p.entree, second_half) for p in gamma
    )
    releases = sum(between(p.sortie, year) and p.motif in RELEASES for p in delta) + sum(
        between(p.sortie, second_half) and p.motif in RELEASES for p in gamma
    )
    end = year[1]
    present = sum(p.entree <= end and (p.sortie is None or p.sortie > end) for p in delta + gamma)
    active = sum(p.is_open_during(*year) for p in delta)
    assert gamma and entries > sum(between(p.entree, year) for p in delta)  # gamma counts
    assert value("13", "2025", "entrees") == entries
    assert value("13", "2025", "entrees") == value("13", "2025-S1", "entrees") + value(
        "13", "2025-S2", "entrees"
    )
    assert value("13", "2025", "liberations") == releases
    assert value("13", "2025", "presents_fin") == present == value("13", "2025-S2", "presents_fin")
    assert value("13", "2025", "file_active") == active
    assert value("13-gamma", "2025", "entrees") is None
    assert value("13-gamma", "2025", "presents_fin") is None

    # A rate whose denominator needs the whole year (open on its first and last days) counts the
    # exits of the same sites: 13-delta's, not 13-gamma's second semester's as well.
    def open_on(day: date) -> int:
        return sum(p.entree <= day and (p.sortie is None or p.sortie > day) for p in delta)

    exits = sum(between(p.sortie, year) for p in delta)
    assert any(between(p.sortie, second_half) for p in gamma)  # they would change the rate
    assert value("13", "2025", "taux_rotation_operateurs") == pytest.approx(
        exits / ((open_on(year[0]) + open_on(year[1])) / 2)
    )


def test_a_department_none_of_whose_sites_delivered_the_whole_year_has_its_semesters_year(
    warehouse: duckdb.DuckDBPyConnection, fixture: Fixture
) -> None:
    """Neither site of department 13 sent its 2025-S1 parcours. The 2025 counts of events of
    department 13 are those of 2025-S2 (measurable, as in the DISP and the nation that add them
    up), its present at the end of 2025 is that of 2025-S2; what covers the whole year (file
    active) has no site to count: « livraison manquante »."""
    con = _without_parcours(warehouse, fixture, ["13-gamma", "13-delta"])

    def row(zone: str, period: str, indicator: str) -> tuple:
        return _indicator(con, "valeur, motif_non_mesurable", zone, period, indicator)

    second_half = (date(2025, 7, 1), date(2025, 12, 31))
    sites = [p for p in fixture.pathways if p.site in ("13-gamma", "13-delta")]
    entries = sum(
        p.entree is not None and second_half[0] <= p.entree <= second_half[1] for p in sites
    )
    end = second_half[1]
    present = sum(p.entree <= end and (p.sortie is None or p.sortie > end) for p in sites)
    assert entries > 0
    assert row("13", "2025", "entrees") == (entries, None)
    assert row("13", "2025", "presents_fin") == (present, None)
    assert row("13", "2025", "file_active") == (None, "livraison_manquante")
    assert row("13-gamma", "2025", "entrees") == (None, "livraison_manquante")
    # the departments add up to the nation
    assert (
        row("FR", "2025", "entrees")[0]
        == row("13", "2025", "entrees")[0] + row("77", "2025", "entrees")[0]
    )
