"""Operating under faults, as an operator meets them: each test injects one into a folder already
published by `iae run`, then checks the French cause and next step, and what stayed unchanged."""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main
from pipelines.defs.partitions import SITES
from pipelines.runner import instance_for
from pipelines.settings import Settings
from tests.conftest import PARCOURS_HEADER, TEST_KEY, parcours_row, write_csv

pytestmark = pytest.mark.lent

ENV = {"IAE_CLE": TEST_KEY.decode(), "IAE_DATE_DU_JOUR": "2026-11-27"}
SEMESTERS = {"2024-S2": "05/07/2024", "2025-S1": "06/01/2025", "2025-S2": "07/07/2025"}


def _meaux(semester: str, rows: int, hours: str = "300") -> list[list[str]]:
    """Pathways open during the semester; the first third of them end in it with a job."""
    entry = SEMESTERS[semester]
    _, month, year = entry.split("/")
    exit_day = f"20/{int(month) + 4:02d}/{year}"
    return [
        parcours_row(
            f"{semester}-{n:03d}",
            entry,
            *((exit_day, "liberation_fin_de_peine", "emploi_durable") if n < rows // 3 else ()),
            heures=hours,
        )
        for n in range(rows)
    ]


@dataclass(frozen=True)
class Folder:
    """An output folder and its inbox, as `iae run` left them."""

    home: Path
    inbox: Path

    def run(self, command: str = "run") -> int:
        return main([command, "--inbox", str(self.inbox), "--home", str(self.home)])

    @property
    def warehouse(self) -> Path:
        return self.home / "entrepot.duckdb"

    def publications(self, *, figures_only: bool = False) -> dict[str, str]:
        """Every published file → its checksum; `figures_only` leaves out the stewards' quality
        pages, which show each new delivery even when the figures cannot be published."""
        root = self.home / "publications"
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and not (figures_only and p.relative_to(root).parts[0] == "qualite")
        }

    def rows(self, query: str) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.sql(query).fetchall()

    def send(self, name: str, rows: list[list[str]]) -> Path:
        """A file arriving after everything already in the inbox."""
        path = write_csv(self.inbox / name, PARCOURS_HEADER, rows)
        latest = max(p.stat().st_mtime for p in self.inbox.iterdir())
        os.utime(path, (latest + 60,) * 2)
        return path


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Folder:
    root = tmp_path_factory.mktemp("publie")
    folder = Folder(root / "sortie", root / "boite")
    for semester in SEMESTERS:
        write_csv(
            folder.inbox / f"77-meaux_parcours_{semester}.csv",
            PARCOURS_HEADER,
            _meaux(semester, 30),
        )
    with pytest.MonkeyPatch.context() as patch:
        for name, value in ENV.items():
            patch.setenv(name, value)
        assert folder.run() == 0
    return folder


@pytest.fixture
def folder(published: Folder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Folder]:
    """A copy of the published folder, for one fault."""
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    copy = Folder(tmp_path / "sortie", tmp_path / "boite")
    shutil.copytree(published.home, copy.home)
    shutil.copytree(published.inbox, copy.inbox)
    yield copy


def _text(page: Path) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.read_text("utf-8"))))


# Sums of ETP are floating-point: DuckDB's parallel aggregation may add them in another order.
INDICATORS = (
    "SELECT * REPLACE (round(numerateur, 6) AS numerateur, round(denominateur, 6) AS denominateur, "
    "round(valeur, 9) AS valeur) FROM indicateurs ORDER BY ALL"
)
REGISTER = "SELECT * FROM livraisons ORDER BY ALL"
FROZEN = "SELECT * FROM chiffres_publies ORDER BY ALL"


def test_a_damaged_warehouse_is_told_in_french_and_rebuilt_with_its_frozen_figures(
    folder: Folder, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IAE_CONSERVATION_MOIS", "12")  # the 2024-S2 and 2025-S1 exits go
    assert main(["purger", "--home", str(folder.home)]) == 0
    indicators, register, frozen = (folder.rows(q) for q in (INDICATORS, REGISTER, FROZEN))
    raw = folder.rows("SELECT count(*) FROM raw_parcours")
    published = folder.publications()
    os.truncate(folder.warehouse, folder.warehouse.stat().st_size // 2)
    capsys.readouterr()

    assert folder.run() == 2
    error = capsys.readouterr().err
    assert f"L'entrepôt {folder.warehouse.resolve()} est endommagé" in error
    assert f"iae reconstruire --home {folder.home.resolve()}" in error
    assert "Could not read enough bytes" in (folder.home / "erreurs.log").read_text("utf-8")
    assert folder.publications() == published

    assert folder.run("reconstruire") == 0
    out = capsys.readouterr().out
    assert "Entrepôt reconstruit : 3 livraison(s) en vigueur relue(s)" in out
    assert "Fichier endommagé conservé à part" in out
    assert folder.rows(INDICATORS) == indicators
    assert folder.rows(REGISTER) == register
    assert set(frozen) <= set(folder.rows(FROZEN))  # every figure published stays as it was
    assert folder.rows("SELECT count(*) FROM raw_parcours") == raw  # purged rows stay purged
    assert [p.name for p in folder.home.glob("entrepot.endommage-*.duckdb")]


class _DiskFullAtCommit:
    """A connection whose COMMIT fails as DuckDB's does on a full disk: the failed commit has
    ended the transaction, so the ROLLBACK that follows fails as well."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)

    def __enter__(self) -> _DiskFullAtCommit:
        return self

    def __exit__(self, *exc: object) -> None:
        self._con.close()

    def execute(self, query: str, *args: object) -> duckdb.DuckDBPyConnection:
        if query.strip().upper() == "COMMIT":
            self._con.execute("ROLLBACK")
            raise duckdb.TransactionException(
                'TransactionContext Error: Failed to commit: Could not write file "entrepot.duckdb": '
                "No space left on device"
            )
        return self._con.execute(query, *args)


def test_a_full_disk_is_told_in_french_and_changes_nothing(
    folder: Folder, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder.send("77-meaux_parcours_2025-S2_v2.csv", _meaux("2025-S2", 29))
    register, published = folder.rows(REGISTER), folder.publications()
    real_connect = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: _DiskFullAtCommit(real_connect(*a, **k)))
    capsys.readouterr()

    assert folder.run() == 2
    error = capsys.readouterr().err
    assert "Erreur : Disque plein : plus de place pour écrire dans" in error
    assert "Libérez de la place" in error and "relancez la même commande" in error
    journal = (folder.home / "erreurs.log").read_text("utf-8")
    assert "No space left on device" in journal and "cannot rollback" not in journal
    monkeypatch.undo()
    assert folder.rows(REGISTER) == register
    assert folder.publications() == published


def test_odd_files_are_named_with_their_reason_and_create_no_site(
    folder: Folder, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(home=folder.home.resolve(), inbox=folder.inbox)
    instance_for(settings).add_dynamic_partitions(SITES.name, ["copie-de-14-caen"])
    copy = folder.send("Copie de 77-meaux_parcours_2025-S1.csv", _meaux("2025-S1", 30))
    cut = folder.send("77-meaux_parcours_2025-S2 (1).csv", _meaux("2025-S2", 3))
    figures = "SELECT * FROM indicateurs WHERE periode = '2025-S2' ORDER BY ALL"
    before = folder.rows(figures)
    capsys.readouterr()

    assert folder.run() == 0
    out = capsys.readouterr().out
    assert (
        f"Fichiers refusés (1) :\n  - {copy.name} : Le site « copie-de-77-meaux » n'existe pas "
        "dans le référentiel des sites." in out
    )
    assert (
        f"Corrections à confirmer (1) :\n  - {cut.name} : Ce renvoi compte 3 ligne(s) contre 30"
        in out
    )
    assert instance_for(settings).get_dynamic_partitions(SITES.name) == ["77-meaux"]
    assert folder.rows(figures) == before  # the held correction published nothing
    national = _text(folder.home / "publications" / "qualite" / "index.html")
    assert (
        f"{copy.name} aucun site reconnu" in national
        and "n'existe pas dans le référentiel" in national
    )
    assert cut.name in national and "_confirme" in national


def test_an_implausible_occupancy_stops_publication(
    folder: Folder, capsys: pytest.CaptureFixture[str]
) -> None:
    folder.send("77-meaux_parcours_2025-S2_v2.csv", _meaux("2025-S2", 100, hours="1200"))
    published = folder.publications(figures_only=True)
    capsys.readouterr()

    assert folder.run() == 2
    error = capsys.readouterr().err
    assert "Publication arrêtée" in error
    assert re.search(
        r"Taux d'occupation des postes, .* \(site 77-meaux\), 2025-S2 : [\d\u202f]+,\d\u202f%",
        error,
    )
    assert folder.publications(figures_only=True) == published
