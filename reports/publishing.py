"""Atomic publication: a folder is written aside, then swapped in; a failure leaves the old one intact."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def publish_folder(target: Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces `target` in one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.old")
    if target.exists():
        target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)


# Beside a published page: the run that produced it, which the index of the publications lists.
RUN_FILE = "execution.json"


def write_run(folder: Path, run_id: str, generated_at: str) -> None:
    """Record in `folder` (a staging folder) the run that produced it and when."""
    record = {"execution": run_id, "produit_le": generated_at}
    (folder / RUN_FILE).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def read_run(folder: Path) -> dict[str, str] | None:
    path = folder / RUN_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
