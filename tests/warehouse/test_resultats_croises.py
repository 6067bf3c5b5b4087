"""The analysts' cross-tab of outcomes, and their copy of the warehouse that carries it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pytest

from pipelines.referentials import load_referentials, read_sites
from pipelines.warehouse.connection import connect
from pipelines.warehouse.models import build_all
from pipelines.warehouse.schema import ensure_schema
from pipelines.warehouse.snapshot import publish_snapshot
from tests.warehouse.expected_indicators import FULL_TIME_HOURS, RELEASES, periods
from tests.warehouse.warehouse_fixture import Fixture, Pathway, build_fixture, load_fixture

DIMENSIONS = ["tranche_age", "niveau_diplome", "tranche_quantum", "amenagement"]
FLOWS = ["entrees", "sorties", "liberations", "retours_detention_ordinaire", "autres_sorties"]


def _age_band(x: Pathway) -> str:
    if x.naissance is None:
        return "inconnu"
    age = x.entree.year - x.naissance
    bands = [(26, "moins_de_26_ans"), (36, "26_35_ans"), (46, "36_45_ans")]
    return next((name for limit, name in bands if age < limit), "46_ans_et_plus")


def _quantum_band(x: Pathway) -> str:
    if x.quantum is None:
        return "inconnu"
    bands = [(3, "moins_de_4_mois"), (12, "4_12_mois"), (24, "13_24_mois"), (36, "25_36_mois")]
    return next((name for limit, name in bands if x.quantum <= limit), "plus_de_36_mois")


def _profile(x: Pathway) -> tuple[str, ...]:
    if x.amenagement is not None:
        adjustment = x.amenagement
    else:
        adjustment = "sans_amenagement" if x.motif in RELEASES else "non_libere"
    return (_age_band(x), x.diplome or "inconnu", _quantum_band(x), adjustment)


def _expected_flows(fx: Fixture) -> dict[tuple, Counter]:
    """Entries and exits by reason group, by site, period and profile, from the fixture's facts."""
    out: dict[tuple, Counter] = {}
    for p in periods():
        for x in fx.pathways:
            flows = Counter(
                entrees=p.contains(x.entree),
                sorties=p.contains(x.sortie),
                liberations=p.contains(x.sortie) and x.motif in RELEASES,
                retours_detention_ordinaire=p.contains(x.sortie)
                and x.motif == "retour_detention_ordinaire",
                autres_sorties=p.contains(x.sortie)
                and x.motif not in RELEASES | {"retour_detention_ordinaire"},
            )
            if sum(flows.values()):
                out.setdefault((x.site, p.kind, p.code, *_profile(x)), Counter()).update(flows)
    return out


@pytest.fixture
def built(warehouse: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    load_fixture(warehouse, build_fixture())
    build_all(warehouse, FULL_TIME_HOURS)
    return warehouse


def test_cross_tab_counts_follow_their_definitions(built: duckdb.DuckDBPyConnection) -> None:
    rows = built.sql(
        f"SELECT code_site, type_periode, periode, {', '.join(DIMENSIONS)}, {', '.join(FLOWS)} "
        "FROM resultats_croises"
    ).fetchall()
    actual = {
        row[:7]: Counter({f: n for f, n in zip(FLOWS, row[7:], strict=True) if n})
        for row in rows
        if any(row[7:])
    }
    expected = _expected_flows(build_fixture())
    assert {k: +v for k, v in expected.items()} == actual
    assert len({key[6] for key in actual}) >= 4  # adjustment types, other releases, the rest


def test_cross_tab_adds_up_to_the_site_indicators(built: duckdb.DuckDBPyConnection) -> None:
    """Summed over the profile, the cross-tab gives each site's indicators back, the
    re-incarceration cohorts (censored alike) included."""
    breaks = built.sql(
        """
        WITH sommes AS (
            SELECT code_site, type_periode, periode, sum(entrees) AS entrees, sum(sorties) AS sorties,
                sum(liberations) AS liberations,
                sum(retours_detention_ordinaire) AS retours_detention_ordinaire,
                sum(sorties_emploi_formation) AS sorties_emploi_formation,
                sum(presents_fin) AS presents_fin, sum(personnes_liberees) AS personnes_liberees,
                sum(reincarcerees_12m) AS reincarcerees_12m
            FROM resultats_croises
            GROUP BY ALL
        ),
        sites AS (
            SELECT code_zone AS code_site, type_periode, periode,
                any_value(valeur) FILTER (WHERE indicateur = 'entrees') AS entrees,
                any_value(valeur) FILTER (WHERE indicateur = 'sorties') AS sorties,
                any_value(valeur) FILTER (WHERE indicateur = 'liberations') AS liberations,
                any_value(valeur) FILTER (WHERE indicateur = 'retours_detention_ordinaire')
                    AS retours_detention_ordinaire,
                any_value(valeur) FILTER (WHERE indicateur = 'sorties_emploi_formation')
                    AS sorties_emploi_formation,
                any_value(valeur) FILTER (WHERE indicateur = 'presents_fin') AS presents_fin,
                any_value(denominateur) FILTER (WHERE indicateur = 'taux_reincarceration_12m')
                    AS personnes_liberees,
                any_value(numerateur) FILTER (WHERE indicateur = 'taux_reincarceration_12m')
                    AS reincarcerees_12m
            FROM indicateurs
            WHERE maille = 'site'
            GROUP BY ALL
        )
        SELECT * FROM sites FULL JOIN sommes USING (code_site, type_periode, periode)
        WHERE (sommes.entrees IS NULL AND sites.entrees + sites.sorties + sites.presents_fin > 0)
            OR sommes.entrees <> sites.entrees OR sommes.sorties <> sites.sorties
            OR sommes.liberations <> sites.liberations
            OR sommes.retours_detention_ordinaire <> sites.retours_detention_ordinaire
            OR sommes.sorties_emploi_formation <> sites.sorties_emploi_formation
            OR sommes.presents_fin <> sites.presents_fin
            OR sommes.personnes_liberees IS DISTINCT FROM sites.personnes_liberees
            OR (sommes.personnes_liberees > 0
                AND sommes.reincarcerees_12m IS DISTINCT FROM sites.reincarcerees_12m)
        """
    ).fetchall()
    assert breaks == []
    measured = built.sql(
        "SELECT count(*) FILTER (WHERE reincarcerees_12m > 0), count(*) FILTER (WHERE "
        "reincarcerees_12m IS NULL AND personnes_liberees > 0) FROM resultats_croises"
    ).fetchall()[0]
    assert all(n > 0 for n in measured)  # both measured and censored cohorts were compared


def test_analysts_copy_carries_the_cross_tab_and_no_person(tmp_path: Path) -> None:
    warehouse = tmp_path / "entrepot.duckdb"
    with connect(warehouse) as con:
        ensure_schema(con)
        load_referentials(con, read_sites(None))
        load_fixture(con, build_fixture())
        build_all(con, FULL_TIME_HOURS)
        people = {p for (p,) in con.sql("SELECT DISTINCT identifiant FROM parcours").fetchall()}
    copy, tables = publish_snapshot(warehouse, tmp_path / "analystes")
    assert "resultats_croises" in tables and "indicateurs" in tables
    with connect(copy, read_only=True) as con:
        columns = con.sql(
            "SELECT table_name, column_name FROM information_schema.columns"
        ).fetchall()
        crossed = con.sql("SELECT count(*), sum(entrees) FROM resultats_croises").fetchall()[0]
        text = con.sql(
            "SELECT string_agg(DISTINCT CAST(COLUMNS(*) AS VARCHAR), '|') FROM resultats_croises"
        ).fetchall()[0]
    assert not any("identifiant" in column for _, column in columns)
    assert not any(table.startswith(("raw_", "stg_")) for table, _ in columns)
    assert {t for t, _ in columns}.isdisjoint(
        {"parcours", "personnel", "liberations", "premieres_liberations", "observations_suivi"}
    )
    assert crossed[0] > 0 and crossed[1] > 0
    assert not any(person in "|".join(v or "" for v in text) for person in people)


def test_analysts_copy_says_who_may_receive_it_and_what_to_quote(tmp_path: Path) -> None:
    warehouse = tmp_path / "entrepot.duckdb"
    with connect(warehouse) as con:
        ensure_schema(con)
    copy, tables = publish_snapshot(warehouse, tmp_path / "analystes")
    assert "chiffres_publies" in tables
    with connect(copy, read_only=True) as con:
        notice = " ".join(
            t for (t,) in con.sql("SELECT texte FROM lisez_moi ORDER BY ordre").fetchall()
        )
    assert "habilités" in notice and "pas destinée à la publication" in notice
    assert "chiffres_publies" in notice and "effectifs exacts" in notice
