"""A zone's figure is the sum of its sites': a sum of fractions (ETP) is the same in every run,
whatever order DuckDB reads the sites in, and the nearest to the exact sum, so a rate on the edge
of its rounding prints the same, as the exact value rounds."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.paths import SQL_DIR
from pipelines.warehouse.sql_files import run_file

ETP = {"s1": 0.1, "s2": 0.2, "s3": 0.3}


def _department_sum(order: list[str]) -> float:
    con = duckdb.connect()
    for macros in ("00_semestres.sql", "00_sommes.sql"):
        run_file(con, SQL_DIR / "schema" / macros)
    con.execute(
        "CREATE TABLE mesures_sites (code_site VARCHAR, type_periode VARCHAR, periode VARCHAR, "
        "mesure VARCHAR, valeur DOUBLE, source VARCHAR)"
    )
    for site in order:
        con.execute(
            "INSERT INTO mesures_sites VALUES (?, 'semestre', '2025-S1', 'etp_personnel_moyen', "
            "?, 'personnel')",
            [site, ETP[site]],
        )
    con.execute(
        "CREATE TABLE couverture AS SELECT code_site, type_periode, periode, source, "
        "true AS couvert FROM mesures_sites"
    )
    con.execute(
        "CREATE TABLE zones_sites AS SELECT code_site, 'departement' AS maille, '13' AS code_zone "
        "FROM mesures_sites"
    )
    # ETP is no flow of people: its year is not read from its semesters (none here).
    con.execute("CREATE TABLE regles_annee (mesure VARCHAR, regle VARCHAR)")
    con.execute(
        "CREATE TABLE periodes (type_periode VARCHAR, periode VARCHAR, annee INTEGER, fin DATE)"
    )
    run_file(con, SQL_DIR / "indicators" / "08_mesures_zones.sql")
    return con.sql("SELECT valeur FROM mesures_zones").fetchall()[0][0]


@pytest.mark.parametrize("order", [["s3", "s1", "s2"], ["s2", "s3", "s1"]])
def test_a_department_sum_of_staff_etp_does_not_depend_on_the_order_of_its_sites(
    order: list[str],
) -> None:
    assert _department_sum(order).hex() == _department_sum(["s1", "s2", "s3"]).hex()
    assert _department_sum(order) == 0.6  # the double nearest the exact sum
