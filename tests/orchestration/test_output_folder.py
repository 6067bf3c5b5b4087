"""Where `iae run` may write: never inside the inbox the sites share."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.cli import main


def test_an_output_folder_inside_the_inbox_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IAE_CLE", "cle-de-test-0123456789abcdef")
    inbox = tmp_path / "boite"
    inbox.mkdir()
    home = inbox / "sortie"
    assert main(["run", "--inbox", str(inbox), "--home", str(home)]) == 2
    error = capsys.readouterr().err
    assert f"Le dossier de sortie {home} est dans la boîte de dépôt {inbox}" in error
    assert "--home" in error
    assert list(inbox.iterdir()) == []
