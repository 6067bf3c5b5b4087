"""Dagster resources: the DuckDB warehouse and the run's settings (folders, key, date, thresholds)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.ingest.pseudonymise import load_key
from pipelines.settings import Safeguards, Settings, Thresholds
from pipelines.warehouse.connection import connect

# Every asset that writes DuckDB takes a slot of this pool (limit 1): DuckDB allows one writer.
WAREHOUSE_POOL = "entrepot_duckdb"


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file."""

    path: str

    @contextmanager
    def connect(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        with connect(Path(self.path), read_only=read_only) as con:
            yield con


class SettingsResource(dg.ConfigurableResource):
    """The run's settings (pipelines.settings.Settings), as Dagster configuration."""

    home: str
    inbox: str
    key_file: str | None = None
    today: str
    due_months_after: int
    due_day: int
    retention_months: int
    annual_full_time_hours: float
    min_count: int
    min_denominator: int
    settle_seconds: float
    max_file_megabytes: float
    max_file_rows: int
    held_drop_percent: float

    @classmethod
    def of(cls, settings: Settings) -> "SettingsResource":
        values = asdict(settings)
        thresholds, safeguards = values.pop("thresholds"), values.pop("safeguards")
        return cls(
            **{
                k: str(v) if isinstance(v, Path | date) else v
                for k, v in values.items()
                if v is not None
            },
            **thresholds,
            **safeguards,
        )

    def get(self) -> Settings:
        return Settings(
            home=Path(self.home),
            inbox=Path(self.inbox),
            key_file=Path(self.key_file) if self.key_file else None,
            due_months_after=self.due_months_after,
            due_day=self.due_day,
            retention_months=self.retention_months,
            annual_full_time_hours=self.annual_full_time_hours,
            thresholds=Thresholds(self.min_count, self.min_denominator),
            safeguards=Safeguards(
                self.settle_seconds,
                self.max_file_megabytes,
                self.max_file_rows,
                self.held_drop_percent,
            ),
            today=date.fromisoformat(self.today),
        )

    def key(self) -> bytes:
        return load_key(
            Path(self.key_file) if self.key_file else None, output_folder=Path(self.home)
        )
