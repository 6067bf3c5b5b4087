"""The register entry states, from the contracts and settings, what is kept, why, how long and for whom."""

from __future__ import annotations

import html
import re
from pathlib import Path

from pipelines.contracts import EXPORT_TYPES, load_contract
from pipelines.settings import Settings
from reports.quality import RunInfo
from reports.register import render_register
from tests.conftest import TODAY


def test_register_follows_contracts_and_settings(tmp_path: Path) -> None:
    settings = Settings(
        home=tmp_path,
        inbox=tmp_path / "boite",
        today=TODAY,
        retention_months=48,
        dpo_contact="dpd@exemple.gouv.fr",
    )
    page = render_register(
        settings, RunInfo("r", "30/06/2026", "v", "27/11/2026"), tmp_path / "registre"
    )
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
    assert "48 mois après la fin du parcours" in text
    for export in EXPORT_TYPES:
        contract = load_contract(export)
        assert f"Export « {export} »" in text
        for column in contract.columns:
            assert column.name in text
    assert "HMAC-SHA256" in text and "identifiant_salarie" in text
    for recipient in (
        "Comités de pilotage départementaux",
        "Comité de pilotage national",
        "Analystes",
        "Référents",
    ):
        assert recipient in text
    assert settings.warehouse.name in text and "dpd@exemple.gouv.fr" in text
    assert str(tmp_path) not in text


def test_register_says_when_the_dpo_contact_is_missing(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, inbox=tmp_path / "boite", today=TODAY)
    page = render_register(
        settings, RunInfo("r", "30/06/2026", "v", "27/11/2026"), tmp_path / "registre"
    )
    assert "IAE_DPO_CONTACT" in page.read_text(encoding="utf-8")
