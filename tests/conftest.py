"""Shared fixtures: a hashing key, a warehouse with referentials, and small site files written on the fly."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from xdist.scheduler import LoadScopeScheduling

from generator import GenerationSummary, generate_inbox
from pipelines.defs.jobs import CHAIN_GROUPS
from pipelines.ingest.inbox import scan
from pipelines.intake.deliveries import IngestContext, IngestSummary, ingest
from pipelines.paths import REFERENTIALS_DIR
from pipelines.referentials import load_referentials, read_sites, site_windows
from pipelines.runner import run_chain
from pipelines.settings import Settings
from pipelines.warehouse.connection import connect
from pipelines.warehouse.schema import ensure_schema

TEST_KEY = b"cle-de-test-0123456789abcdef"
TODAY = date(2026, 11, 27)

PARCOURS_HEADER = [
    "identifiant",
    "sexe",
    "annee_naissance",
    "statut_penal",
    "quantum_peine_mois",
    "niveau_diplome",
    "date_orientation_cpu",
    "date_entree",
    "date_sortie",
    "motif_sortie",
    "type_amenagement",
    "situation_sortie",
    "heures_travaillees",
    "clea_obtenu",
    "nb_formations",
    "nb_pmsmp",
    "accompagnement_post_sortie",
    "mesure_suivi",
]

SUIVI_HEADER = [
    "identifiant",
    "date_sortie",
    "date_observation",
    "situation",
    "date_reincarceration",
]


def parcours_row(
    identifiant: str,
    entree: str,
    sortie: str = "",
    motif: str = "",
    situation: str = "",
    amenagement: str = "",
    heures: str = "100",
    mesure: str = "non",
) -> list[str]:
    """A valid parcours line (French formats) unless the arguments make it otherwise."""
    return [
        identifiant,
        "H",
        "1990",
        "condamne",
        "12",
        "aucun",
        "",
        entree,
        sortie,
        motif,
        amenagement,
        situation,
        heures,
        "non",
        "0",
        "0",
        "non",
        mesure,
    ]


def write_csv(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    *,
    encoding: str = "cp1252",
    delimiter: str = ";",
) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_releases_with_and_without_measure(inbox: Path) -> Path:
    """Meaux's 2025-S1 pathways of « AVEC » and « SANS », both released on 20/03/2025, with and
    without a follow-up measure: the follow-ups of the second are unlawful."""
    released = ("20/03/2025", "liberation_fin_de_peine", "emploi_durable")
    return write_csv(
        inbox / "77-meaux_parcours_2025-S1.csv",
        PARCOURS_HEADER,
        [
            parcours_row("AVEC", "05/01/2025", *released, mesure="oui"),
            parcours_row("SANS", "05/01/2025", *released, mesure="non"),
        ],
    )


def keep_sites(inbox: Path, codes: list[str]) -> Path:
    """The inbox's own sites referential: the shipped one reduced to `codes`, so that a run
    publishes their departments' packs only, not sixty."""
    header, *rows = (REFERENTIALS_DIR / "sites.csv").read_text(encoding="utf-8").splitlines()
    kept = [row for row in rows if row.split(",", 1)[0] in codes]
    inbox.mkdir(parents=True, exist_ok=True)
    target = inbox / "sites.csv"
    target.write_text("\n".join([header, *kept]) + "\n", encoding="utf-8")
    return target


# `make test` spreads the files over one worker per core (pytest-xdist). The files that share a
# costly session fixture go to the same worker, so that it is built once: the generated national
# inbox and the chain run on it, the reports' small warehouse and its packs, the dashboard's, the
# four-site demo warehouse.
SHARED_FIXTURE_GROUPS = {
    "tests/generator/": "boite nationale",
    "tests/validation/test_demo_inbox.py": "boite nationale",
    "tests/reports/test_layout.py": "boite nationale",
    "tests/reports/test_copil_browser.py": "dossiers",
    "tests/reports/test_copil_packs.py": "dossiers",
    "tests/reports/test_copil_pdf.py": "dossiers",
    "tests/reports/test_copil_publication.py": "dossiers",
    "tests/dashboards/": "tableau de bord",
    "tests/reports/test_copil_demo.py": "entrepot de demonstration",
    "tests/retention/test_frozen_figures.py": "entrepot de demonstration",
}


class SharedFixtureScheduling(LoadScopeScheduling):
    """Work units: a group of SHARED_FIXTURE_GROUPS, otherwise one test file."""

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return next(
            (group for prefix, group in SHARED_FIXTURE_GROUPS.items() if path.startswith(prefix)),
            path,
        )


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> SharedFixtureScheduling:
    return SharedFixtureScheduling(config, log)


@pytest.fixture(scope="session", autouse=True)
def no_settle_delay() -> Iterator[None]:
    """Test inboxes are complete before a run starts: no need to wait for senders to finish."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IAE_DELAI_STABILITE_S", "0")
        yield


@pytest.fixture
def key_env(monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setenv("IAE_CLE", TEST_KEY.decode())
    return TEST_KEY


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with connect(tmp_path / "entrepot.duckdb") as con:
        ensure_schema(con)
        load_referentials(con, read_sites(None))
        yield con


def run_ingest(con: duckdb.DuckDBPyConnection, inbox: Path, run_id: str = "test") -> IngestSummary:
    ctx = IngestContext(
        key=TEST_KEY,
        sites=site_windows(con),
        today=TODAY,
        now=datetime(2026, 11, 27, 12),
        run_id=run_id,
    )
    return ingest(con, scan(inbox), ctx)


# The demo run's readers check the ingest, the warehouse and the stewards' pages. The protection
# of the published figures is tested on hand-built tables (tests/reports/test_confidentiality.py)
# and on the small chains of tests/orchestration and tests/retention; run at national scale it
# would be two thirds of the run (`make demo` and `make bench` run it).
UNPROTECTED_CHAIN = dg.AssetSelection.groups(*CHAIN_GROUPS) - dg.AssetSelection.groups("secret")


@dataclass(frozen=True)
class DemoRun:
    """The chain, up to its protected figures, run once on a generated national inbox (scale 1),
    shared by the session."""

    settings: Settings
    manifest: dict

    @property
    def inbox(self) -> Path:
        return self.settings.inbox


@pytest.fixture(scope="session")
def national_inbox(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    """The generated national inbox (scale 1), written once per session; tests only read it."""
    return generate_inbox(tmp_path_factory.mktemp("boite_nationale") / "boite_de_depot")


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The four-site demo warehouse, built once per session; a test that changes it or publishes
    from it works on a copy (`copy_demo_warehouse`)."""
    from tests.reports.pack_fixture import build_demo_warehouse  # that module imports this one

    return build_demo_warehouse(tmp_path_factory.mktemp("demo_quatre_sites"))


@pytest.fixture(scope="session")
def demo_run(
    tmp_path_factory: pytest.TempPathFactory, national_inbox: GenerationSummary
) -> DemoRun:
    home = tmp_path_factory.mktemp("demo")
    summary = national_inbox
    settings = replace(Settings.from_env(), home=home, inbox=summary.inbox, today=TODAY)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IAE_CLE", TEST_KEY.decode())
        run_chain(settings, only=UNPROTECTED_CHAIN)
    return DemoRun(settings, json.loads(summary.manifest_path.read_text(encoding="utf-8")))
