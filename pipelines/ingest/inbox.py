"""The inbox: which files are there, and which (site, type, period) each one delivers.

Sites name files `<code_site>_<type>_<période>.<ext>`; real inboxes also hold `… (1).csv`,
`…_v2.xlsx`, `… - Copie.csv`, `Copie de ….csv`, upper-case names or `2026S1`. Names are read
leniently (a copy delivers what its original does); a name that cannot be read is rejected with a
message, never silently skipped.

A file still arriving is never taken: senders write under a temporary name (`….tmp`, `….part`,
`….crdownload`; `~$…` is an office lock file) and rename when done, and a file whose size or
modification time moves during the settle delay is left for the next run. A name ending in
`_confirme` confirms a correction that was held because it drops many rows.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipelines.contracts import EXPORT_TYPES

DATA_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods"}
REFERENTIAL_NAME = "sites.csv"
NATIONAL = "national"
IN_PROGRESS_SUFFIXES = (".tmp", ".part", ".crdownload")
IN_PROGRESS_PREFIXES = (".", "~$")
# What Windows leaves in a folder it showed: no delivery, never told as a refused file.
SYSTEM_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini"})
_CONFIRMED = re.compile(r"confirm")
# The prefix office software puts before a copied file's name (older Windows, English systems).
_COPY_PREFIX = re.compile(r"^(?:copie|copy)(?:\s*\(\d+\))?\s+(?:de|of)\s+")

log = logging.getLogger("iae")

_NAME = re.compile(
    rf"^(?P<site>.+?)[\s_]+(?P<type>{'|'.join(EXPORT_TYPES)})[\s_-]+"
    r"(?:(?P<year>\d{4})[\s_-]?s(?P<half>[12])|s(?P<half2>[12])[\s_-]?(?P<year2>\d{4}))"
    r"(?P<suffix>.*)$"
)


@dataclass(frozen=True)
class InboxFile:
    """A file found in the inbox, before it is read."""

    path: Path
    received_at: datetime
    signature: tuple[int, int] | None = None  # (size, mtime in ns) when the inbox was scanned

    @property
    def name(self) -> str:
        return self.path.name

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()


@dataclass(frozen=True)
class DeliveryName:
    """What a file name says it delivers."""

    site: str
    export_type: str
    period: str
    confirmed: bool = False  # `…_confirme`: the steward confirms a correction held for its drop


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()


def parse_name(file_name: str) -> DeliveryName | None:
    match = _NAME.match(_COPY_PREFIX.sub("", _plain(Path(file_name).stem)))
    if not match:
        return None
    year, half = match["year"] or match["year2"], match["half"] or match["half2"]
    site = match["site"].strip(" _-").replace("_", "-").replace(" ", "-")
    return DeliveryName(
        site=site,
        export_type=match["type"],
        period=f"{year}-S{half}",
        confirmed=bool(_CONFIRMED.search(match["suffix"])),
    )


def _signature(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def observed(path: Path) -> InboxFile:
    """A file as it is now: its modification time is its reception date."""
    size, mtime_ns = _signature(path)
    received = datetime.fromtimestamp(mtime_ns / 1e9, tz=UTC).replace(tzinfo=None)
    return InboxFile(path, received, (size, mtime_ns))


def scan(inbox: Path) -> list[InboxFile]:
    """Every data file under the inbox (sub-folders included), oldest first."""
    if not inbox.is_dir():
        return []
    found = [
        observed(path)
        for path in inbox.rglob("*")
        if path.is_file() and is_delivery_candidate(path, inbox)
    ]
    return sorted(found, key=lambda f: (f.received_at, f.name))


def is_delivery_candidate(path: Path, inbox: Path) -> bool:
    """Not a file being written, a lock or hidden file, a system file, or the sites' referential."""
    parts = path.relative_to(inbox).parts
    hidden = any(part.startswith(IN_PROGRESS_PREFIXES) for part in parts)
    in_progress = path.name.lower().endswith(IN_PROGRESS_SUFFIXES)
    system = path.name.lower() in SYSTEM_FILES
    referential = path.parent == inbox and path.name.lower() == REFERENTIAL_NAME
    return not (hidden or in_progress or system or referential)


def still_arriving(
    files: list[InboxFile], settle_seconds: float, wait: Callable[[float], None] = time.sleep
) -> set[Path]:
    """Files whose size or modification time changed over the settle delay (or since the scan).

    A sender copying over a slow share may keep the source's modification time: the size is
    what moves, so both are compared.
    """
    if settle_seconds <= 0 or not files:
        return set()
    before = {f.path: f.signature or _signature(f.path) for f in files}
    log.debug("Attente de %s s : les fichiers nouveaux sont-ils complets ?", settle_seconds)
    wait(settle_seconds)
    moving = {path for path, signature in before.items() if _current(path) != signature}
    for path in sorted(moving):
        log.warning(
            "Fichier en cours d'arrivée, laissé pour la prochaine exécution : %s "
            "(sa taille ou sa date change encore).",
            path.name,
        )
    return moving


def _current(path: Path) -> tuple[int, int] | None:
    try:
        return _signature(path)
    except FileNotFoundError:
        return None


def site_of(file: InboxFile) -> str | None:
    parsed = parse_name(file.name)
    return parsed.site if parsed else None


def partition_of(file: InboxFile, sites: frozenset[str]) -> str:
    """The site partition that ingests a file: its site if the referential knows it; otherwise
    the national one, which refuses it (a typo such as « 14-caem_… » never becomes a site)."""
    site = site_of(file)
    return site if site in sites else NATIONAL
