"""One run at a time per output folder: a lock file in the folder names who holds it.

The lock is an operating-system lock (flock) on `<home>/.verrou`, which the kernel releases when
its process dies, so a killed run never blocks the next one. The file's text (PID, start, command)
names the holder in the refusal; text left behind means the last holder died without releasing
it, and the next run says so as it takes over.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from pipelines.errors import IaeError

LOCK_NAME = ".verrou"

log = logging.getLogger("iae")


def _holder(text: str) -> str:
    """« PID 1234, depuis le 01/12/2026 à 12:57:03, iae run » from the lock file's text."""
    try:
        facts = json.loads(text)
        since = datetime.fromisoformat(facts["depuis"])
        return f"PID {facts['pid']}, depuis le {since:%d/%m/%Y à %H:%M:%S}, iae {facts['commande']}"
    except (ValueError, KeyError, TypeError):
        return "PID inconnu"


def _read(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 4096).decode("utf-8", errors="replace").strip()


@contextmanager
def exclusive(home: Path, command: str) -> Iterator[None]:
    """Hold the output folder for the block, or refuse at once if another run holds it."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IaeError(
                f"Une autre exécution ({_holder(_read(fd))}) utilise ce dossier : {home}. "
                "Attendez qu'elle se termine, ou arrêtez-la, puis relancez."
            ) from None
        left = _read(fd)
        if left:
            log.warning(
                "Verrou laissé par une exécution interrompue (%s), qui ne tourne plus : repris.",
                _holder(left),
            )
        facts = {"pid": os.getpid(), "depuis": datetime.now().isoformat(), "commande": command}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(facts).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)
