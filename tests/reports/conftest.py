"""The report tests' shared fixtures: the small warehouse and the packs published from it, once."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from pipelines.settings import Settings
from pipelines.warehouse.connection import connect
from tests.reports.pack_fixture import Published, build_warehouse, publish_all


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_warehouse(tmp_path_factory.mktemp("rapports"))


@pytest.fixture
def warehouse_ro(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    with connect(settings.warehouse, read_only=True) as con:
        yield con


@pytest.fixture(scope="session")
def published(settings: Settings) -> Published:
    return publish_all(settings)
