"""Steward quality pages: what to fix, where, with the value and the fix; never an identifier."""

from __future__ import annotations

import html
import os
import re
from datetime import date
from pathlib import Path

import duckdb

from pipelines.settings import Settings, Thresholds
from pipelines.warehouse.models import build_all
from pipelines.warehouse.quality import build_quality_tables
from reports.quality import RunInfo, render_quality_reports, site_page
from tests.conftest import (
    PARCOURS_HEADER,
    SUIVI_HEADER,
    TODAY,
    parcours_row,
    run_ingest,
    write_csv,
    write_releases_with_and_without_measure,
)

RUN = RunInfo("run-test", "30/06/2025", "parcours 1.0.0", "27/11/2026 12:00")


def _render(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> Path:
    settings = Settings(home=tmp_path, inbox=tmp_path / "boite", today=TODAY)
    build_all(con, settings.annual_full_time_hours)
    build_quality_tables(con, settings)
    target = tmp_path / "qualite"
    render_quality_reports(con, target, RUN, Thresholds())
    return target


ACCEPTED = "Toutes les lignes reçues ont été acceptées."


def _text(path: Path) -> str:
    return html.unescape(
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))
    )


def test_site_page_lists_each_problem_with_its_fix(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = tmp_path / "boite"
    header = [h if h != "date_entree" else "Date d'entrée" for h in PARCOURS_HEADER]
    write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv",
        [*header, "nom"],
        [
            [*parcours_row("SECRET01", "05/01/2025"), "Martin"],
            [*parcours_row("SECRET02", "31/02/2025"), "Durand"],
        ],
    )
    (inbox / "77-meaux_personnel_2025-S1.csv").write_bytes(b"<html>oups</html>")
    run_ingest(warehouse, inbox)
    page = _render(warehouse, tmp_path) / site_page("77-meaux", "2025-S1")
    text = _text(page)
    assert "77-meaux_parcours_2025-S1.csv" in text and " 3 " in text
    assert "« Date d'entrée » date_entree 31/02/2025 erreur" in text  # as the file heads it
    # a working page: its counts are not protected, it says it is not for a committee
    assert "Diffusion restreinte : page de travail des référents de données" in text
    # the opening date the entry dates are checked against, as the sites referential gives it
    assert "atelier ouvert le 01/07/2017 selon le référentiel des sites" in text
    assert "« 31/02/2025 » n'est pas une date valide" in text
    assert "Écrivez une date au format JJ/MM/AAAA" in text
    assert "77-meaux_personnel_2025-S1.csv" in text and "page web (HTML)" in text
    assert "nom" in text  # the dropped column is named…
    for secret in (
        "SECRET01",
        "SECRET02",
        "Martin",
        "Durand",
    ):  # …but no value of it, nor any identifier
        assert secret not in page.read_text(encoding="utf-8")
    assert not re.search(r"\b[0-9a-f]{64}\b", page.read_text(encoding="utf-8"))


def test_a_follow_up_refused_for_privacy_is_told_apart_from_the_quarantine(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = tmp_path / "boite"
    write_releases_with_and_without_measure(inbox)
    write_csv(
        inbox / "77-meaux_suivi_2025-S1.csv",
        SUIVI_HEADER,
        [
            ["AVEC", "20/03/2025", "15/05/2025", "emploi_durable", ""],
            ["AVEC", "20/03/2025", "31/02/2025", "emploi_durable", ""],
            ["SANS", "20/03/2025", "17/06/2025", "formation_qualifiante", ""],
        ],
    )
    run_ingest(warehouse, inbox)
    text = _text(_render(warehouse, tmp_path) / site_page("77-meaux", "2025-S1"))
    # three follow-up lines: one accepted, one to fix, one refused and not kept
    assert "77-meaux_suivi_2025-S1.csv 3 1 2 dont 1 refusée 0" in text
    assert "n'est pas en quarantaine : elle n'est pas conservée" in text


def _resend_corrected(warehouse: duckdb.DuckDBPyConnection, sent: Path, entry: str) -> None:
    """A valid `_v2` of Meaux's 2025-S1 pathways, arriving a minute after `sent`, ingested."""
    fixed = write_csv(
        sent.parent / "77-meaux_parcours_2025-S1_v2.csv",
        PARCOURS_HEADER,
        [parcours_row("A1", entry)],
    )
    os.utime(fixed, (sent.stat().st_mtime + 60,) * 2)
    run_ingest(warehouse, sent.parent, run_id="correction")


def test_corrected_resubmission_turns_the_page_green(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = tmp_path / "boite"
    bad = write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv", PARCOURS_HEADER, [parcours_row("A1", "31/02/2025")]
    )
    run_ingest(warehouse, inbox)
    assert ACCEPTED not in _text(_render(warehouse, tmp_path) / site_page("77-meaux", "2025-S1"))
    _resend_corrected(warehouse, bad, "28/02/2025")
    after = _text(_render(warehouse, tmp_path) / site_page("77-meaux", "2025-S1"))
    assert ACCEPTED in after
    # The staff and follow-up exports were never sent: still something to do.
    assert "À envoyer Exports manquants : personnel, suivi." in after
    assert "Rien à corriger" not in after


def _staff_and_no_follow_up(inbox: Path) -> None:
    """Meaux's 2025-S1 staff (one CIP) and an empty follow-up file: both exports accepted."""
    write_csv(
        inbox / "77-meaux_personnel_2025-S1.csv",
        ["identifiant_salarie", "fonction", "date_arrivee", "date_depart", "etp"],
        [["S1", "cip", "01/01/2024", "", "1"]],
    )
    write_csv(inbox / "77-meaux_suivi_2025-S1.csv", SUIVI_HEADER, [])


def test_nothing_to_fix_once_every_export_is_in_and_accepted(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = tmp_path / "boite"
    write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv", PARCOURS_HEADER, [parcours_row("A1", "05/01/2025")]
    )
    _staff_and_no_follow_up(inbox)
    run_ingest(warehouse, inbox)
    text = _text(_render(warehouse, tmp_path) / site_page("77-meaux", "2025-S1"))
    assert f"Rien à corriger {ACCEPTED}" in text and "À envoyer" not in text


def test_a_column_of_the_model_missing_from_the_file_is_to_complete(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    """Hours under an unrecognised heading are read empty on every row: no error, yet the
    occupancy counts none of them; the page says so instead of « Rien à corriger »."""
    inbox = tmp_path / "boite"
    hours = PARCOURS_HEADER.index("heures_travaillees")
    header = [h for h in PARCOURS_HEADER if h != "heures_travaillees"]
    row = parcours_row("A1", "05/01/2025")
    write_csv(inbox / "77-meaux_parcours_2025-S1.csv", header, [row[:hours] + row[hours + 1 :]])
    _staff_and_no_follow_up(inbox)
    run_ingest(warehouse, inbox)
    text = _text(_render(warehouse, tmp_path) / site_page("77-meaux", "2025-S1"))
    assert (
        "À compléter parcours : colonne du modèle absente du fichier, lue vide sur chaque ligne : "
        "heures_travaillees." in text
    )
    assert "Rien à corriger" not in text and ACCEPTED in text


def test_a_pathway_in_progress_missing_from_the_next_file_is_listed(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    """Open on the semester's last day and absent from the next semester's file: listed on the
    later page with the earlier file's line; an ended pathway, or one listed again, is not."""
    inbox = tmp_path / "boite"
    first = write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [
            parcours_row("DISPARU", "05/01/2025"),
            parcours_row("SORTI", "05/01/2025", "20/03/2025", "transfert"),
            parcours_row("RESTE", "06/01/2025"),
        ],
    )
    write_csv(
        inbox / "77-meaux_parcours_2025-S2.csv",
        PARCOURS_HEADER,
        [parcours_row("RESTE", "06/01/2025"), parcours_row("NOUVEAU", "08/07/2025")],
    )
    run_ingest(warehouse, inbox)
    target = _render(warehouse, tmp_path)
    later = _text(target / site_page("77-meaux", "2025-S2"))
    heading = "Parcours en cours absents de ce fichier"
    assert (
        f"{heading} Ce parcours était en cours le dernier jour du 1er semestre 2025, sans date de "
        "sortie, mais n'apparaît pas dans le fichier des parcours de ce semestre." in later
    )
    assert f"{first.name} 2 05/01/2025" in later  # the earlier file, its line, the entry
    assert f"{first.name} 3 " not in later and f"{first.name} 4 " not in later
    assert "Rien à corriger" not in later
    assert heading not in _text(target / site_page("77-meaux", "2025-S1"))
    for secret in ("DISPARU", "SORTI", "RESTE", "NOUVEAU"):
        assert secret not in (target / site_page("77-meaux", "2025-S2")).read_text("utf-8")


def test_a_refused_file_accepted_again_since_is_no_longer_to_send(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = tmp_path / "boite"
    refused = inbox / "77-meaux_parcours_2025-S1.xlsx"
    refused.parent.mkdir(parents=True)
    refused.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n")
    run_ingest(warehouse, inbox)
    before = _text(_render(warehouse, tmp_path) / site_page("77-meaux", "2025-S1"))
    assert "à renvoyer" in before and ACCEPTED not in before
    _resend_corrected(warehouse, refused, "05/01/2025")
    after = _text(_render(warehouse, tmp_path) / site_page("77-meaux", "2025-S1"))
    assert "77-meaux_parcours_2025-S1.xlsx" in after  # still listed, as history…
    assert "remplacé depuis par un envoi accepté" in after and "à renvoyer" not in after
    assert ACCEPTED in after  # …with nothing left to fix in it


def test_overview_shows_every_site_status(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = tmp_path / "boite"
    write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv", PARCOURS_HEADER, [parcours_row("A1", "05/01/2025")]
    )
    late = write_csv(
        inbox / "06-nice_parcours_2025-S1.csv", PARCOURS_HEADER, [parcours_row("N1", "05/01/2025")]
    )
    on_time = date(2025, 8, 1).strftime("%s")
    os.utime(inbox / "77-meaux_parcours_2025-S1.csv", (int(on_time),) * 2)
    os.utime(late, (int(date(2025, 9, 30).strftime("%s")),) * 2)
    run_ingest(warehouse, inbox)
    target = _render(warehouse, tmp_path)
    status = dict(
        warehouse.sql(
            "SELECT code_site || '/' || type_export, statut FROM statut_livraisons WHERE periode = '2025-S1'"
        ).fetchall()
    )
    assert status["77-meaux/parcours"] == "a_l_heure"
    assert status["06-nice/parcours"] == "en_retard"
    assert status["77-meaux/personnel"] == "manquante"
    overview = (target / "index.html").read_text(encoding="utf-8")
    assert overview.count('href="77-meaux/2025-S1.html"') == 1 and "Manquante" in overview


def test_national_extract_page_counts_rows_and_people_tied_to_a_release(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    """Three écrous of two people and a line in error: one person was released from a workshop
    before their écrou (tied), the other's écrou precedes their release (not tied). The one
    person tied reads « secret »: fewer than the threshold, as in the publications."""
    inbox = tmp_path / "boite"
    release = "liberation_fin_de_peine"
    write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [
            parcours_row("LIBERE1", "05/01/2025", "10/03/2025", release, "sans_solution"),
            parcours_row("LIBERE2", "05/01/2025", "20/06/2025", release, "emploi_durable"),
        ],
    )
    write_csv(
        inbox / "national_reincarcerations_2025-S1.csv",
        ["identifiant", "date_ecrou"],
        [
            ["LIBERE1", "01/05/2025"],
            ["LIBERE1", "02/06/2025"],
            ["LIBERE2", "01/04/2025"],
            ["INCONNU", "31/13/2025"],
            ["ANCIEN", "15/03/2019"],  # an écrou of an earlier period: warned, kept
            ["DOUBLE", "10/02/2025"],
            ["DOUBLE", "10/02/2025"],  # twice the same écrou: warned, counted once
        ],
    )
    run_ingest(warehouse, inbox)
    assert warehouse.sql(
        "SELECT ligne, regle FROM anomalies WHERE gravite = 'avertissement' ORDER BY ALL"
    ).fetchall() == [(6, "ecrou_avant_periode"), (7, "ecrou_unique"), (8, "ecrou_unique")]
    target = _render(warehouse, tmp_path)
    page = target / "reincarcerations.html"
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", page.read_text(encoding="utf-8"))
    row = cells[cells.index("national_reincarcerations_2025-S1.csv") :][:9]
    # file, received, rows read, accepted, quarantined, warnings, écrous, people, people tied
    # (one person, under the publications' threshold: hidden as they are)
    assert row[2:] == ["7", "6", "1", "3", "5", "4", "secret"]
    assert "31/13/2025" in _text(page)  # the row to fix is listed, with its value
    assert "LIBERE1" not in page.read_text(encoding="utf-8")
    assert 'href="reincarcerations.html"' in (target / "index.html").read_text(encoding="utf-8")


def test_every_quality_page_links_the_export_templates(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    inbox = tmp_path / "boite"
    write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv", PARCOURS_HEADER, [parcours_row("A1", "05/01/2025")]
    )
    run_ingest(warehouse, inbox)
    target = _render(warehouse, tmp_path)
    pages = list(target.rglob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        links = re.findall(r'href="([^"]*modele_[^"]+)"', page.read_text(encoding="utf-8"))
        assert {Path(link).suffix for link in links} == {".csv", ".xlsx"}, page
        assert {link.rsplit("modele_", 1)[1].split(".")[0] for link in links} >= {
            "parcours",
            "personnel",
            "suivi",
            "reincarcerations",
        }
        assert all((page.parent / link).resolve().is_file() for link in links), page
