"""The Meaux headline of the seeds, through real files: of 73 entries, 21 returned to ordinary
detention and 24 left prison with a job or a training (DOMAIN.md §6)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb

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


def test_meaux_headline_is_reproduced(tmp_path: Path, warehouse: duckdb.DuckDBPyConnection) -> None:
    _write_exports(tmp_path / "boite")
    summary = run_ingest(warehouse, tmp_path / "boite")
    assert summary.count("acceptee") == 2
    assert summary.total("lignes_quarantaine") == 0
    build_all(warehouse, 1350.0)
    rows = warehouse.sql(
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
    national = warehouse.sql(
        "SELECT indicateur, valeur FROM indicateurs WHERE maille = 'nation' AND periode = ? "
        "AND indicateur IN ('entrees', 'retours_detention_ordinaire', 'sorties_emploi_formation')",
        params=[str(YEAR)],
    ).fetchall()
    assert dict(national) == headline
