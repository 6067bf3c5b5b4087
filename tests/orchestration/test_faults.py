"""Operating under faults, as an operator meets them: each test injects one into a folder already
published by `iae run`, then checks the French cause and next step, and what stayed unchanged."""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import dagster as dg
import duckdb
import pytest

from pipelines.cli import main
from pipelines.dagster_home import UNFINISHED, instance_for
from pipelines.defs.partitions import SITES
from pipelines.settings import Settings
from tests.conftest import PARCOURS_HEADER, TEST_KEY, keep_sites, parcours_row, write_csv

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
    keep_sites(folder.inbox, ["77-meaux"])
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


def _copy(published: Folder, root: Path) -> Folder:
    copy = Folder(root / "sortie", root / "boite")
    shutil.copytree(published.home, copy.home)
    shutil.copytree(published.inbox, copy.inbox)
    return copy


@pytest.fixture
def folder(published: Folder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Folder]:
    """A copy of the published folder, for one fault."""
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    yield _copy(published, tmp_path)


CORRECTION = "77-meaux_parcours_2025-S2_v2.csv"


@pytest.fixture(scope="module")
def corrected(published: Folder, tmp_path_factory: pytest.TempPathFactory) -> Folder:
    """The published folder after a correction, run without any fault: what a run that recovers
    from a killed one must give."""
    copy = _copy(published, tmp_path_factory.mktemp("reference"))
    copy.send(CORRECTION, _meaux("2025-S2", 33))
    with pytest.MonkeyPatch.context() as patch:
        for name, value in ENV.items():
            patch.setenv(name, value)
        assert copy.run() == 0
    return copy


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
    instance_for(settings).add_dynamic_partitions(SITES.name, ["14-caem"])
    typo = folder.send("77-meau_parcours_2025-S1.csv", _meaux("2025-S1", 30))
    cut = folder.send("77-meaux_parcours_2025-S2 (1).csv", _meaux("2025-S2", 3))
    figures = "SELECT * FROM indicateurs WHERE periode = '2025-S2' ORDER BY ALL"
    before = folder.rows(figures)
    capsys.readouterr()

    assert folder.run() == 0
    out = capsys.readouterr().out
    assert (
        f"Fichiers refusés (1) :\n  - {typo.name} : Le site « 77-meau » n'existe pas "
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
        f"{typo.name} aucun site reconnu" in national
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


# A line the run prints as it enters a stage, and how long to let it work there before kill -9.
STAGES = {
    "lecture": ("Lecture de ", 0.3),
    "entrepot": ("Entrepôt : couche marts", 0.0),
    "dossiers": ("Dossiers des COPIL", 0.3),
}
PUBLISHED = (
    "SELECT maille, code_zone, periode, indicateur, texte FROM chiffres_diffuses ORDER BY ALL"
)


def _processes_with(tag: str) -> list[int]:
    """Processes whose environment holds `tag`: the run and every process it started."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if tag.encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def _stop_during(
    folder: Folder, marker: str, delay: float, how: signal.Signals = signal.SIGKILL
) -> tuple[str, subprocess.CompletedProcess[str]]:
    """Start `iae run` in its own process, send it `how` once it printed `marker` (and `delay`
    seconds more); the tag every process of the run carries, and how the run ended."""
    tag = f"essai-{uuid.uuid4().hex}"
    command = [str(Path(sys.executable).with_name("iae")), "run"]
    command += ["--inbox", str(folder.inbox), "--home", str(folder.home)]
    process = subprocess.Popen(
        command,
        env={**os.environ, "MARQUEUR_ESSAI": tag},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    printed = []
    for line in process.stdout:
        printed.append(line)
        if marker in line:
            break
    else:
        pytest.fail(f"« {marker} » jamais affiché :\n{''.join(printed)}")
    time.sleep(delay)
    process.send_signal(how)
    process.wait(timeout=60)
    ended = subprocess.CompletedProcess(
        command, process.returncode, "".join(printed + _rest_of(process.stdout))
    )
    return tag, ended


def _rest_of(stream: IO[str]) -> list[str]:
    """What the run printed until it ended. Read apart: a browser the killed run started keeps
    the pipe open until it closes itself (`_no_process_left` checks that it does)."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(stream), daemon=True)
    reader.start()
    reader.join(timeout=5)
    return list(lines)


def _no_process_left(tag: str) -> bool:
    deadline = time.monotonic() + 60
    while _processes_with(tag) and time.monotonic() < deadline:
        time.sleep(0.2)
    return _processes_with(tag) == []


@pytest.mark.parametrize("stage", STAGES)
def test_a_run_killed_in_any_stage_is_recovered_by_the_next(
    stage: str, folder: Folder, corrected: Folder
) -> None:
    folder.send(CORRECTION, _meaux("2025-S2", 33))
    tag, ended = _stop_during(folder, *STAGES[stage])
    assert ended.returncode == -signal.SIGKILL  # killed, not finished
    assert _no_process_left(tag)  # no worker or browser outlives the killed run

    assert folder.run() == 0  # without help: no stale run, slot or lock left in the way
    assert folder.rows(INDICATORS) == corrected.rows(INDICATORS)
    assert folder.rows(PUBLISHED) == corrected.rows(PUBLISHED)
    instance = instance_for(Settings(home=folder.home.resolve(), inbox=folder.inbox))
    assert instance.get_runs(dg.RunsFilter(statuses=UNFINISHED)) == []


def test_ctrl_c_stops_a_run_in_french_and_the_next_one_completes(
    folder: Folder, corrected: Folder
) -> None:
    folder.send(CORRECTION, _meaux("2025-S2", 33))
    tag, ended = _stop_during(folder, *STAGES["dossiers"], how=signal.SIGINT)
    assert ended.returncode == 130, ended.stdout
    assert "Interrompu (Ctrl-C)" in ended.stdout and "Traceback" not in ended.stdout
    assert _no_process_left(tag)
    assert folder.run() == 0
    assert folder.rows(PUBLISHED) == corrected.rows(PUBLISHED)
