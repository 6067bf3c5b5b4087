"""The inbox: which files are there, and which (site, type, period) each one delivers.

Sites name files `<code_site>_<type>_<période>.<ext>`; real inboxes also hold `… (1).csv`,
`…_v2.xlsx`, upper-case names or `2026S1`. Names are read leniently; a name that cannot be read is
rejected with a message, never silently skipped.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipelines.contracts import EXPORT_TYPES

DATA_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods"}
REFERENTIAL_NAME = "sites.csv"
NATIONAL = "national"

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


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()


def parse_name(file_name: str) -> DeliveryName | None:
    match = _NAME.match(_plain(Path(file_name).stem))
    if not match:
        return None
    year, half = match["year"] or match["year2"], match["half"] or match["half2"]
    site = match["site"].strip(" _-").replace("_", "-").replace(" ", "-")
    return DeliveryName(site=site, export_type=match["type"], period=f"{year}-S{half}")


def scan(inbox: Path) -> list[InboxFile]:
    """Every data file under the inbox (sub-folders included), oldest first."""
    if not inbox.is_dir():
        return []
    found = [
        InboxFile(path, datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).replace(tzinfo=None))
        for path in inbox.rglob("*")
        if path.is_file() and _is_delivery_candidate(path, inbox)
    ]
    return sorted(found, key=lambda f: (f.received_at, f.name))


def _is_delivery_candidate(path: Path, inbox: Path) -> bool:
    hidden = any(part.startswith((".", "~$")) for part in path.relative_to(inbox).parts)
    return not hidden and not (path.parent == inbox and path.name.lower() == REFERENTIAL_NAME)


def site_of(file: InboxFile) -> str | None:
    parsed = parse_name(file.name)
    return parsed.site if parsed else None
