"""The generator's tests read the session's generated national inbox (tests/conftest.py)."""

from __future__ import annotations

import json

import pytest
from gen_reader import Generated, Sheet, parse_name, read_sheet

from generator import GenerationSummary


@pytest.fixture(scope="session")
def generated(national_inbox: GenerationSummary) -> Generated:
    return Generated(
        national_inbox, json.loads(national_inbox.manifest_path.read_text(encoding="utf-8"))
    )


@pytest.fixture(scope="session")
def sheets(generated: Generated) -> dict[str, Sheet]:
    """Every delivery file of the generation, read once (file name → sheet)."""
    return {p.name: read_sheet(p) for p in sorted(generated.inbox.iterdir()) if parse_name(p.name)}
