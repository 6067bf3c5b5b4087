"""Landing deliveries: a re-sent file replaces exactly its key, an identical one changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PARCOURS_HEADER, parcours_row, run_ingest, write_csv


def _snapshot(con: duckdb.DuckDBPyConnection, site: str) -> list[tuple]:
    return con.sql(
        f"SELECT * EXCLUDE (date_ingestion) FROM raw_parcours WHERE code_site = '{site}' ORDER BY periode, ligne_source"
    ).fetchall()


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "boite"
    write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [parcours_row("A1", "05/01/2025"), parcours_row("A2", "10/02/2025")],
    )
    write_csv(
        inbox / "06-nice_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [parcours_row("N1", "05/01/2025"), parcours_row("N2", "10/03/2025")],
    )
    return inbox


def test_ingesting_twice_changes_nothing(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = _inbox(tmp_path)
    first = run_ingest(warehouse, inbox)
    assert first.count("acceptee") == 2
    before = warehouse.sql("SELECT * FROM raw_parcours ORDER BY ALL").fetchall()
    register = warehouse.sql("SELECT count(*) FROM livraisons").fetchall()
    second = run_ingest(warehouse, inbox, run_id="again")
    assert second.entries == []
    assert warehouse.sql("SELECT * FROM raw_parcours ORDER BY ALL").fetchall() == before
    assert warehouse.sql("SELECT count(*) FROM livraisons").fetchall() == register


def test_resubmission_replaces_only_its_site(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = _inbox(tmp_path)
    run_ingest(warehouse, inbox)
    nice_before = _snapshot(warehouse, "06-nice")
    corrected = write_csv(
        inbox / "77-meaux_parcours_2025-S1 (1).csv",
        PARCOURS_HEADER,
        [
            parcours_row("A1", "05/01/2025"),
            parcours_row("A3", "12/03/2025"),
            parcours_row("A4", "01/04/2025"),
        ],
    )
    later = os.stat(inbox / "77-meaux_parcours_2025-S1.csv").st_mtime + 3600
    os.utime(corrected, (later, later))
    summary = run_ingest(warehouse, inbox, run_id="resend")
    assert [e.fichier for e in summary.entries] == [corrected.name]
    meaux = _snapshot(warehouse, "77-meaux")
    assert len(meaux) == 3 and {row[2] for row in meaux} == {corrected.name}
    assert _snapshot(warehouse, "06-nice") == nice_before
    active = warehouse.sql(
        "SELECT fichier FROM livraisons WHERE active AND code_site = '77-meaux'"
    ).fetchall()
    assert active == [(corrected.name,)]


# The names a browser or office software gives a second copy of a file.
COPY_NAMES = [
    "77-meaux_parcours_2025-S1 (1).csv",
    "77-meaux_parcours_2025-S1 - Copie.csv",
    "Copie de 77-meaux_parcours_2025-S1.csv",
    "Copie (2) de 77-meaux_parcours_2025-S1.csv",
    "Copy of 77-meaux_parcours_2025-S1.csv",
]


@pytest.mark.parametrize("name", COPY_NAMES)
def test_identical_copy_is_a_duplicate(
    name: str, tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = _inbox(tmp_path)
    run_ingest(warehouse, inbox)
    before = _snapshot(warehouse, "77-meaux")
    copy = inbox / name
    copy.write_bytes((inbox / "77-meaux_parcours_2025-S1.csv").read_bytes())
    summary = run_ingest(warehouse, inbox, run_id="copy")
    assert [(e.fichier, e.statut) for e in summary.entries] == [(copy.name, "doublon")]
    assert _snapshot(warehouse, "77-meaux") == before


def test_unreadable_resubmission_keeps_the_delivery_in_force(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = _inbox(tmp_path)
    run_ingest(warehouse, inbox)
    before = _snapshot(warehouse, "77-meaux")
    broken = inbox / "77-meaux_parcours_2025-S1_v2.csv"
    broken.write_bytes(b"<html><body>erreur d'export</body></html>")
    later = os.stat(inbox / "77-meaux_parcours_2025-S1.csv").st_mtime + 3600
    os.utime(broken, (later, later))
    summary = run_ingest(warehouse, inbox, run_id="broken")
    assert [(e.statut, e.regle_rejet) for e in summary.entries] == [("rejetee", "fichier_html")]
    assert _snapshot(warehouse, "77-meaux") == before


def test_no_clear_identifier_or_name_is_stored(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = tmp_path / "boite"
    write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv",
        [*PARCOURS_HEADER, "nom", "prenom"],
        [[*parcours_row("ZZ98765", "05/01/2025"), "Delacourt", "Aurélien"]],
    )
    run_ingest(warehouse, inbox)
    assert warehouse.sql("SELECT count(*) FROM raw_parcours").fetchall() == [(1,)]
    text_columns = warehouse.sql(
        "SELECT table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR'"
    ).fetchall()
    for table, column in text_columns:
        hits = warehouse.sql(
            f"SELECT count(*) FROM {table} WHERE {column} ILIKE '%ZZ98765%' OR {column} ILIKE '%Delacourt%' OR {column} ILIKE '%Aurélien%'"
        ).fetchall()
        assert hits == [(0,)], (table, column)
