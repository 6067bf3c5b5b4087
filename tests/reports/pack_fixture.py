"""A small warehouse (the hand-built fixture of tests/warehouse: four sites, two departments) and
the packs published from it, for the report tests."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import duckdb

from generator import generate_inbox
from pipelines.ingest.inbox import scan
from pipelines.intake.deliveries import IngestContext, ingest
from pipelines.referentials import load_referentials, read_sites, site_windows
from pipelines.settings import Settings
from pipelines.warehouse.connection import connect
from pipelines.warehouse.models import build_all
from pipelines.warehouse.quality import build_quality_tables
from pipelines.warehouse.schema import ensure_schema
from reports.packs.dataset import PackDataset
from reports.packs.figures import write_published_figures
from reports.packs.publish import (
    DEPARTMENTS_DIR,
    NATIONAL_DIR,
    Outcome,
    departmental_packs,
    national_report,
    publish_departmental_packs,
    publish_index,
    publish_national_report,
)
from reports.packs.queries import query
from tests.conftest import keep_sites
from tests.warehouse.warehouse_fixture import build_fixture, load_fixture

SEMESTER = "2026-S1"
YEAR = "2025"
DEPARTMENTS = ("13", "77")
RUN_ID = "essai-rapports"
DEMO_SITES = ["77-meaux", "38-grenoble-varces", "13-marseille", "13-aix-luynes"]
DEMO_KEY = b"cle-de-demonstration-des-rapports"


@dataclass(frozen=True)
class Published:
    settings: Settings
    departmental: list[PackDataset]
    national: PackDataset
    outcomes: list[Outcome]

    @property
    def outputs(self) -> Path:
        return self.settings.outputs

    def department_folder(self, code: str) -> Path:
        return self.outputs / DEPARTMENTS_DIR / SEMESTER / code

    @property
    def national_folder(self) -> Path:
        return self.outputs / NATIONAL_DIR / YEAR

    def folders(self) -> list[Path]:
        return [*(self.department_folder(d.zone) for d in self.departmental), self.national_folder]


def warehouse_figures(con: duckdb.DuckDBPyConnection) -> dict[tuple, dict]:
    """The warehouse's figures before confidentiality, by (maille, zone, period, indicator)."""
    rows = query(con, "figures").to_dicts()
    return {(r["maille"], r["code_zone"], r["periode"], r["indicateur"]): r for r in rows}


def build_warehouse(home: Path) -> Settings:
    """The fixture's deliveries landed, then the SQL models and the delivery statuses."""
    settings = Settings(home=home, inbox=home / "boite_de_depot", today=date(2026, 11, 27))
    with connect(settings.warehouse) as con:
        ensure_schema(con)
        load_referentials(con, read_sites(None))
        load_fixture(con, build_fixture(per_site=40))
        build_all(con, settings.annual_full_time_hours)
        write_published_figures(con, settings.thresholds)
        build_quality_tables(con, settings)
    return settings


def build_demo_warehouse(home: Path) -> Settings:
    """The demo generator's inbox for four sites of three departments, through the real chain:
    ingestion (checks, quarantine), SQL models, delivery statuses."""
    settings = Settings(home=home, inbox=home / "boite_de_depot", today=date(2026, 11, 27))
    generate_inbox(settings.inbox, sites=DEMO_SITES)
    keep_sites(settings.inbox, DEMO_SITES)
    with connect(settings.warehouse) as con:
        ensure_schema(con)
        load_referentials(con, read_sites(settings.inbox))
        context = IngestContext(
            key=DEMO_KEY,
            sites=site_windows(con),
            today=settings.today,
            now=datetime(2026, 11, 27, 12),
            run_id="demo",
        )
        ingest(con, scan(settings.inbox), context)
        build_all(con, settings.annual_full_time_hours)
        write_published_figures(con, settings.thresholds)
        build_quality_tables(con, settings)
    return settings


def copy_demo_warehouse(template: Settings, home: Path) -> Settings:
    """A copy of a demo warehouse and its inbox under `home`, for a test that changes them."""
    shutil.copytree(template.home, home, dirs_exist_ok=True)
    return replace(template, home=home, inbox=home / template.inbox.relative_to(template.home))


def publish_all(settings: Settings) -> Published:
    """Both departments' packs for 2026-S1, the national report for 2025, and the index."""
    with connect(settings.warehouse, read_only=True) as con:
        departmental = departmental_packs(con, SEMESTER, settings.thresholds, RUN_ID)
        national = national_report(con, YEAR, settings.thresholds, RUN_ID)
    outcomes = publish_departmental_packs(departmental, settings.outputs, SEMESTER)
    outcomes.append(publish_national_report(national, settings.outputs))
    publish_index(settings.outputs, datetime(2026, 11, 27, 12))
    return Published(settings, departmental, national, outcomes)


def year_coverage_sentence(warehouse: Path, year: str, department: str | None = None) -> str:
    """What a year's figures must say they cover, from the definition: a site covers a year when
    its pathway file is in for each of the year's semesters it was open in; a site that delivered
    some of them is named apart (its semesters count in the year's counts of events)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sites = con.sql(
            "SELECT c.code_site, bool_and(c.couvert), bool_or(c.couvert) FROM couverture AS c "
            "JOIN periodes AS p USING (type_periode, periode) "
            "JOIN zones AS z ON z.maille = 'site' AND z.code_zone = c.code_site "
            "WHERE c.source = 'parcours' AND p.type_periode = 'semestre' AND p.annee = ? "
            "AND z.code_departement = coalesce(?, z.code_departement) "
            "GROUP BY ALL",
            params=[int(year), department],
        ).fetchall()
    complete = sum(covered for _, covered, _ in sites)
    partial = any(some and not every for _, every, some in sites)
    plural = complete > 1
    delivered = (
        f"{complete} site{'s' if plural else ''} sur {len(sites)} {'ont' if plural else 'a'} livré "
        f"le fichier des parcours de chaque semestre de {year}"
    )
    if partial:
        return f"{delivered}. N'ont livré qu'une partie de l'année :"
    return f"{delivered} : les chiffres de l'année portent sur {'eux' if plural else 'lui'}."
