"""The hashing key: another key, or a key file others can read, stops the run before any write."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.ingest.pseudonymise import create_key_file
from tests.conftest import PARCOURS_HEADER, keep_sites, parcours_row, write_csv


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "boite"
    keep_sites(inbox, ["77-meaux", "06-nice"])
    write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv", PARCOURS_HEADER, [parcours_row("A1", "05/01/2025")]
    )
    return inbox


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.lent
def test_another_key_stops_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, home = _inbox(tmp_path), tmp_path / "sortie"
    monkeypatch.setenv("IAE_CLE", "premiere-cle-0123456789abcdef")
    assert main(["run", "--inbox", str(inbox), "--home", str(home)]) == 0
    warehouse = home / "entrepot.duckdb"
    before = _digest(warehouse)
    write_csv(
        inbox / "06-nice_parcours_2025-S1.csv", PARCOURS_HEADER, [parcours_row("N1", "05/01/2025")]
    )
    capsys.readouterr()
    monkeypatch.setenv("IAE_CLE", "autre-cle-fedcba9876543210")
    assert main(["run", "--inbox", str(inbox), "--home", str(home)]) == 2
    assert "n'est pas celle avec laquelle l'entrepôt a été construit" in capsys.readouterr().err
    assert _digest(warehouse) == before


def test_key_file_readable_by_others_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("IAE_CLE", raising=False)
    key = tmp_path / "cles" / "cle.key"
    create_key_file(key)
    os.chmod(key, 0o644)
    monkeypatch.setenv("IAE_CLE_FICHIER", str(key))
    home = tmp_path / "sortie"
    assert main(["run", "--inbox", str(_inbox(tmp_path)), "--home", str(home)]) == 2
    assert "lisible par d'autres utilisateurs" in capsys.readouterr().err
    assert not (home / "entrepot.duckdb").exists() and not (home / "publications").exists()


def test_key_file_inside_the_output_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("IAE_CLE", raising=False)
    home = tmp_path / "sortie"
    key = home / "cle.key"
    create_key_file(key)
    monkeypatch.setenv("IAE_CLE_FICHIER", str(key))
    assert main(["run", "--inbox", str(_inbox(tmp_path)), "--home", str(home)]) == 2
    assert "est dans le dossier de sortie" in capsys.readouterr().err
    assert not (home / "entrepot.duckdb").exists()
