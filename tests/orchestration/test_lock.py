"""Two runs on one output folder: the second is refused at once, in French, naming the first;
the lock of a run killed with -9 is taken over, with a line saying so."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.lock import LOCK_NAME, exclusive

HOLD = """
import sys, time
from pathlib import Path
from pipelines.lock import exclusive
with exclusive(Path(sys.argv[1]), "run"):
    print("verrou pris", flush=True)
    time.sleep(120)
"""


@pytest.fixture
def other_run(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the output folder, as a run in progress does."""
    home = tmp_path / "sortie"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(home)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "verrou pris"
    yield holder
    holder.kill()
    holder.wait()


def test_a_second_run_is_refused_at_once_naming_the_first(
    tmp_path: Path, other_run: subprocess.Popen[str], capsys: pytest.CaptureFixture[str]
) -> None:
    home, inbox = tmp_path / "sortie", tmp_path / "boite"
    inbox.mkdir()
    assert main(["run", "--inbox", str(inbox), "--home", str(home)]) == 2
    error = capsys.readouterr().err
    assert f"Une autre exécution (PID {other_run.pid}, depuis le " in error
    assert f"iae run) utilise ce dossier : {home.resolve()}" in error
    assert sorted(p.name for p in home.iterdir()) == [LOCK_NAME]  # nothing else was written


def test_the_lock_of_a_killed_run_is_taken_over(
    tmp_path: Path, other_run: subprocess.Popen[str], caplog: pytest.LogCaptureFixture
) -> None:
    home = tmp_path / "sortie"
    os.kill(other_run.pid, signal.SIGKILL)
    other_run.wait()
    with caplog.at_level(logging.WARNING, logger="iae"), exclusive(home, "run"):
        assert f'"pid": {os.getpid()}' in (home / LOCK_NAME).read_text()
    assert f"exécution interrompue (PID {other_run.pid}, depuis le " in caplog.text
    assert "qui ne tourne plus : repris" in caplog.text
    assert (home / LOCK_NAME).read_text() == ""  # released cleanly: nothing left to take over


def test_a_run_that_ends_normally_leaves_no_stale_lock(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    home = tmp_path / "sortie"
    with exclusive(home, "run"):
        pass
    with caplog.at_level(logging.WARNING, logger="iae"), exclusive(home, "purger"):
        pass
    assert "repris" not in caplog.text
