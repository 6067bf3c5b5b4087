"""Dagster resources: the DuckDB warehouse, and the run's settings (pipelines.settings.Settings,
given as is: assets take `settings: dg.ResourceParam[Settings]`)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.settings import Settings
from pipelines.warehouse.connection import connect

# Every asset that writes DuckDB takes a slot of this pool (limit 1): DuckDB allows one writer.
WAREHOUSE_POOL = "entrepot_duckdb"

SettingsParam = dg.ResourceParam[Settings]


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file."""

    path: str

    @contextmanager
    def connect(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        with connect(Path(self.path), read_only=read_only) as con:
            yield con


def resources(settings: Settings) -> dict[str, object]:
    """The resources every asset, check and sensor of the code location may ask for."""
    return {"warehouse": WarehouseResource(path=str(settings.warehouse)), "settings": settings}
