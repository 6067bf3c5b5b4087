"""The dashboard tests' warehouse (built once by the real pipeline) and its published page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboards.render import publish_dashboard
from pipelines.referentials import load_referentials, read_sites
from pipelines.settings import Settings, Thresholds
from pipelines.warehouse.connection import connect
from pipelines.warehouse.models import build_all
from pipelines.warehouse.quality import build_quality_tables
from pipelines.warehouse.schema import ensure_schema
from reports.packs.figures import write_published_figures
from reports.quality import RunInfo
from tests.conftest import TODAY, run_ingest
from tests.dashboards.dashboard_fixture import write_inbox

RUN = RunInfo("essai-tableau-de-bord", "31/12/2025", "1.0.0", "27/11/2026 12:00")


@dataclass(frozen=True)
class Built:
    settings: Settings
    identifiers: list[str]  # as the sites wrote them


@pytest.fixture(scope="session")
def dashboard_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Site files → ingest → models → delivery status, in a warehouse file closed afterwards."""
    home = tmp_path_factory.mktemp("tableau_de_bord")
    settings = Settings(home=home, inbox=home / "boite_de_depot", today=TODAY)
    identifiers = write_inbox(settings.inbox)
    with connect(settings.warehouse) as con:
        ensure_schema(con)
        load_referentials(con, read_sites(None))
        run_ingest(con, settings.inbox)
        build_all(con, settings.annual_full_time_hours)
        write_published_figures(con, settings.thresholds)
        build_quality_tables(con, settings)
    return Built(settings, identifiers)


@pytest.fixture(scope="session")
def dashboard_page(dashboard_warehouse: Built) -> Path:
    settings = dashboard_warehouse.settings
    with connect(settings.warehouse, read_only=True) as con:
        return publish_dashboard(con, settings.outputs / "tableau_de_bord", RUN, Thresholds())
