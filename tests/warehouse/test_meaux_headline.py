"""The Meaux headline of the seeds, through real files: of 73 entries, 21 returned to ordinary
detention and 24 left prison with a job or a training (docs/indicateurs.md)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from pipelines.periods import Semester
from pipelines.warehouse.models import build_all
from tests.conftest import PARCOURS_HEADER, parcours_row, run_ingest, write_csv

SITE = "77-meaux"
YEAR = 2025
# (motif, situation, type d'aménagement) × how many pathways end that way; the rest stay open.
EXITS = [
    (("retour_detention_ordinaire", "", ""), 21),
    (("liberation_fin_de_peine", "emploi_durable", ""), 8),
    (("liberation_amenagement", "emploi_transition", "LC"), 8),
    (("liberation_autre", "formation_qualifiante", ""), 8),
    (("liberation_fin_de_peine", "recherche_emploi", ""), 3),
    (("liberation_fin_de_peine", "sans_solution", ""), 3),
    (("transfert", "", ""), 5),
]
ENTRIES = 73


def _pathways() -> list[tuple[str, date, date | None, tuple[str, str, str]]]:
    kinds = [kind for kind, n in EXITS for _ in range(n)]
    kinds += [("", "", "")] * (ENTRIES - len(kinds))
    out = []
    for number, kind in enumerate(kinds):
        entree = date(YEAR, 1, 2) + timedelta(days=4 * number)
        sortie = entree + timedelta(days=40) if kind[0] else None
        out.append((f"1{number:06d}", entree, sortie, kind))
    return out


def _write_exports(inbox: Path) -> None:
    """One file per semester, each listing the pathways open during it, exits in their semester."""
    for semester in (Semester(YEAR, 1), Semester(YEAR, 2)):
        rows = []
        for identifiant, entree, sortie, (motif, situation, amenagement) in _pathways():
            if entree > semester.end or (sortie is not None and sortie < semester.start):
                continue
            exits_now = sortie is not None and sortie <= semester.end
            rows.append(
                parcours_row(
                    identifiant,
                    entree.strftime("%d/%m/%Y"),
                    sortie.strftime("%d/%m/%Y") if exits_now else "",
                    motif if exits_now else "",
                    situation if exits_now else "",
                    amenagement if exits_now else "",
                    heures="7",
                )
            )
        write_csv(inbox / f"{SITE}_parcours_{semester.code}.csv", PARCOURS_HEADER, rows)


@pytest.fixture
def meaux(tmp_path: Path, warehouse: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The Meaux exports ingested (every line accepted) and the warehouse built."""
    _write_exports(tmp_path / "boite")
    summary = run_ingest(warehouse, tmp_path / "boite")
    assert summary.count("acceptee") == 2
    assert summary.total("lignes_quarantaine") == 0
    build_all(warehouse, 1350.0)
    return warehouse


def test_meaux_headline_is_reproduced(meaux: duckdb.DuckDBPyConnection) -> None:
    rows = meaux.sql(
        "SELECT type_periode, indicateur, sum(valeur) FROM indicateurs "
        "WHERE maille = 'site' AND code_zone = ? "
        "AND indicateur IN ('entrees', 'retours_detention_ordinaire', 'sorties_emploi_formation') "
        "GROUP BY ALL",
        params=[SITE],
    ).fetchall()
    headline = {
        "entrees": 73.0,
        "retours_detention_ordinaire": 21.0,
        "sorties_emploi_formation": 24.0,
    }
    assert {ind: v for kind, ind, v in rows if kind == "annee"} == headline
    assert {ind: v for kind, ind, v in rows if kind == "semestre"} == headline
    national = meaux.sql(
        "SELECT indicateur, valeur FROM indicateurs WHERE maille = 'nation' AND periode = ? "
        "AND indicateur IN ('entrees', 'retours_detention_ordinaire', 'sorties_emploi_formation')",
        params=[str(YEAR)],
    ).fetchall()
    assert dict(national) == headline


def test_meaux_results_since_opening_agree_with_the_headline(
    meaux: duckdb.DuckDBPyConnection,
) -> None:
    """The cohort view since opening, at the end of 2025, is the press dossier's: 73 entered, 21
    back in ordinary detention, 24 released into a job or a training; the rest still there or
    gone otherwise."""
    ended = sum(n for _, n in EXITS)
    expected = {
        "entrees_cumulees": float(ENTRIES),
        "cumul_retours_detention_ordinaire": 21.0,
        "cumul_sorties_emploi_formation": 24.0,
        "cumul_presents": float(ENTRIES - ended),
        "cumul_autres_sorties": float(ended - 21 - 24),
        "taux_cumul_sortie_emploi_formation": 24 / ENTRIES,
    }
    for maille, zone in (("site", SITE), ("departement", "77"), ("nation", "FR")):
        for period in (str(YEAR), f"{YEAR}-S2"):
            rows = meaux.sql(
                "SELECT indicateur, valeur FROM indicateurs WHERE maille = ? AND code_zone = ? "
                "AND periode = ? AND indicateur IN (SELECT unnest(?))",
                params=[maille, zone, period, list(expected)],
            ).fetchall()
            assert dict(rows) == pytest.approx(expected), (maille, period)
    flows = meaux.sql(
        "SELECT indicateur, sum(valeur) FROM indicateurs WHERE maille = 'site' AND code_zone = ? "
        "AND type_periode = 'semestre' AND indicateur IN ('entrees', 'retours_detention_ordinaire', "
        "'sorties_emploi_formation') GROUP BY ALL",
        params=[SITE],
    ).fetchall()
    assert dict(flows) == {
        "entrees": expected["entrees_cumulees"],
        "retours_detention_ordinaire": expected["cumul_retours_detention_ordinaire"],
        "sorties_emploi_formation": expected["cumul_sorties_emploi_formation"],
    }
