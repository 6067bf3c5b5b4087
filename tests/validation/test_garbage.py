"""Fed garbage, the pipeline stays up, refuses that file with its reason, and keeps everything else."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PARCOURS_HEADER, parcours_row, run_ingest, write_csv

GOOD_ROWS = [parcours_row("N1", "05/01/2025"), parcours_row("N2", "10/03/2025")]


def _random_text(size: int) -> bytes:
    chunk = os.urandom(size // 2).hex().encode()
    return b"\n".join(chunk[i : i + 120] for i in range(0, len(chunk), 120))


GARBAGE = {
    "binaire": (lambda: os.urandom(4096), "fichier_binaire"),
    "page_web": (
        lambda: (
            b"<!DOCTYPE html>\n<html><head><title>Export</title></head><body><table></table></body></html>"
        ),
        "fichier_html",
    ),
    "vide": (lambda: b"", "fichier_vide"),
    "entete_seul": (lambda: (";".join(PARCOURS_HEADER) + "\r\n").encode(), "aucune_ligne"),
    "texte_aleatoire_50_mio": (lambda: _random_text(50 * 1024 * 1024), "fichier_trop_volumineux"),
    "texte_aleatoire_1_mo": (lambda: _random_text(1_000_000), "entete_non_reconnu"),
    "mauvais_separateur": (
        lambda: (":".join(PARCOURS_HEADER) + "\n" + ":".join(GOOD_ROWS[0]) + "\n").encode("cp1252"),
        "entete_non_reconnu",
    ),
    "entete_duplique": (
        lambda: (
            ";".join([*PARCOURS_HEADER, "Date d'entrée"])
            + "\n"
            + ";".join([*GOOD_ROWS[0], "05/01/2025"])
            + "\n"
        ).encode(),
        "entete_duplique",
    ),
}


@pytest.mark.parametrize("kind", list(GARBAGE))
def test_garbage_is_refused_and_costs_nothing_else(
    kind: str, tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = tmp_path / "boite"
    write_csv(inbox / "06-nice_parcours_2025-S1.csv", PARCOURS_HEADER, GOOD_ROWS)
    write_csv(
        inbox / "77-meaux_parcours_2024-S2.csv", PARCOURS_HEADER, [parcours_row("A1", "05/07/2024")]
    )
    run_ingest(warehouse, inbox)
    before = warehouse.sql(
        "SELECT * EXCLUDE (date_ingestion) FROM raw_parcours ORDER BY ALL"
    ).fetchall()
    content, rule = GARBAGE[kind]
    (inbox / "77-meaux_parcours_2025-S1.csv").write_bytes(content())
    summary = run_ingest(warehouse, inbox, run_id=kind)
    [entry] = summary.entries
    assert (entry.statut, entry.regle_rejet) == ("rejetee", rule)
    assert entry.motif_rejet and entry.correction_rejet
    assert (
        warehouse.sql("SELECT * EXCLUDE (date_ingestion) FROM raw_parcours ORDER BY ALL").fetchall()
        == before
    )
