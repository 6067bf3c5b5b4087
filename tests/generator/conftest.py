"""One full generation at scale 1 (about 5 s), shared by the generator's tests."""

from __future__ import annotations

import json

import pytest
from gen_reader import Generated, Sheet, parse_name, read_sheet

from pipelines.generator import generate_inbox


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    summary = generate_inbox(tmp_path_factory.mktemp("generator") / "inbox")
    return Generated(summary, json.loads(summary.manifest_path.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def sheets(generated: Generated) -> dict[str, Sheet]:
    """Every delivery file of the generation, read once (file name → sheet)."""
    return {p.name: read_sheet(p) for p in sorted(generated.inbox.iterdir()) if parse_name(p.name)}
