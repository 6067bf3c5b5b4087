"""Published figures are frozen: a purge never changes them, a late correction shows as a revision."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from dashboards.data import read_dashboard_data
from dashboards.payload import build_payload
from pipelines.catalog import load_catalog
from pipelines.codes import delivery_statuses
from pipelines.ingest.inbox import scan
from pipelines.intake.deliveries import IngestContext, ingest
from pipelines.referentials import site_windows
from pipelines.settings import Settings
from pipelines.warehouse.connection import connect
from pipelines.warehouse.models import build_all
from pipelines.warehouse.quality import build_quality_tables
from pipelines.warehouse.retention import purge, retention_limit
from reports.packs.dataset import PackDataset
from reports.packs.figures import KEY, write_published_figures
from reports.packs.frozen import freeze
from reports.packs.publish import (
    DEPARTMENTS_DIR,
    departmental_packs,
    national_report,
    publish_departmental_packs,
)
from reports.packs.render import PAGE
from tests.conftest import PARCOURS_HEADER, parcours_row, write_csv
from tests.reports.pack_fixture import (
    DEMO_KEY,
    copy_demo_warehouse,
    year_coverage_sentence,
)
from tests.reports.page_reading import figure_cells, visible_text

pytestmark = pytest.mark.lent

OLD = "2022-S1"
OLD_YEAR = "2022"
PURGED_MONTHS = 44  # from the demo's date, 27 November 2026: pathways ended before 27 March 2023
# The department whose pack is rendered and read; every department's figures are still frozen.
READ = "77"


def _publish(settings: Settings, semester: str, run_id: str) -> list[PackDataset]:
    """What the publication asset does: build, render, then freeze what was published. Only the
    pack these tests read is rendered (the others would cost a minute and assert nothing here)."""
    with connect(settings.warehouse, read_only=True) as con:
        datasets = departmental_packs(con, semester, settings.thresholds, run_id)
    read = [d for d in datasets if d.zone == READ]
    publish_departmental_packs(read, settings.outputs, semester, force=True)
    with connect(settings.warehouse) as con:
        freeze(
            con,
            pl.concat([d.shown() for d in datasets]),
            pl.concat([d.revisions for d in datasets]),
            run_id,
            datetime.now(),
        )
    return datasets


def _rebuild(settings: Settings):  # type: ignore[no-untyped-def]
    def rebuild(con) -> None:  # type: ignore[no-untyped-def]
        build_all(con, settings.annual_full_time_hours)
        write_published_figures(con, settings.thresholds)
        build_quality_tables(con, settings)

    return rebuild


def _cells(settings: Settings, semester: str, department: str) -> dict[tuple, str]:
    page = (settings.outputs / DEPARTMENTS_DIR / semester / department / PAGE).read_text(
        encoding="utf-8"
    )
    return {
        (c["data-maille"], c.get("data-zone"), c.get("data-periode"), c["data-indicateur"]): c[
            "texte"
        ].strip()
        for c in figure_cells(page)
    }


def _texts(datasets: list[PackDataset]) -> dict[tuple, str]:
    figures = pl.concat([d.figures for d in datasets]).unique(
        ["maille", "code_zone", "periode", "indicateur"]
    )
    return {
        (r["maille"], r["code_zone"], r["periode"], r["indicateur"]): r["texte"]
        for r in figures.iter_rows(named=True)
    }


def _rounded(value: object) -> object:
    """Exact tables compared up to the order of floating-point sums (DuckDB sums in parallel)."""
    return round(value, 9) if isinstance(value, float) else value


def _outputs(settings: Settings) -> dict[str, object]:
    """What the other outputs show: the dashboard's payload, the national report's figures for a
    purged year, the analysts' tables, and how many pathway rows the purged semester still has."""
    with connect(settings.warehouse, read_only=True) as con:
        data = read_dashboard_data(con, settings.thresholds)
        national = national_report(con, OLD_YEAR, settings.thresholds, "national")
        return {
            "tableau_de_bord": build_payload(data, load_catalog(), delivery_statuses()),
            "rapport_national": _texts([national]),
            **{
                table: [
                    tuple(map(_rounded, row))
                    for row in con.sql(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
                ]
                for table in ("indicateurs", "indicateurs_larges", "resultats_croises")
            },
            "lignes": con.sql(
                f"SELECT count(*) FROM parcours_periode WHERE periode = '{OLD}'"
            ).fetchall(),
        }


def test_a_purge_changes_no_published_figure(tmp_path: Path, demo_warehouse: Settings) -> None:
    settings = copy_demo_warehouse(demo_warehouse, tmp_path)
    before = _texts(_publish(settings, OLD, "avant-purge"))
    pages_before = _cells(settings, OLD, READ)
    outputs_before = _outputs(settings)

    report = purge(
        settings.warehouse,
        retention_limit(settings.today, PURGED_MONTHS),
        simulate=False,
        rebuild=_rebuild(settings),
    )
    assert report.rows["parcours"] > 0
    outputs_after = _outputs(settings)
    # the purge did remove what these figures were computed from…
    assert outputs_after.pop("lignes") < outputs_before.pop("lignes")
    # …and every output shows what it showed before
    for output, shown in outputs_before.items():
        assert outputs_after[output] == shown, output

    after = _texts(_publish(settings, OLD, "apres-purge"))
    assert after == before
    assert _cells(settings, OLD, READ) == pages_before
    with connect(settings.warehouse, read_only=True) as con:
        assert con.sql(
            "SELECT count(*) FROM chiffres_publies WHERE run_id = 'apres-purge'"
        ).fetchall() == [(0,)]


def test_a_late_correction_is_shown_as_a_revision(tmp_path: Path, demo_warehouse: Settings) -> None:
    settings = copy_demo_warehouse(demo_warehouse, tmp_path)
    published = _texts(_publish(settings, "2025-S2", "premiere"))
    original = next(settings.inbox.glob("77-meaux_parcours_2025-S1.*"))
    # A correction this much smaller than the delivery in force waits for the steward's
    # confirmation: the name confirms it.
    corrected = write_csv(
        settings.inbox / "77-meaux_parcours_2025-S1_v2_confirme.csv",
        PARCOURS_HEADER,
        [parcours_row("NOUVEAU1", "05/01/2025")],
    )
    os.utime(corrected, (original.stat().st_mtime + 3600,) * 2)
    with connect(settings.warehouse) as con:
        ingest(
            con,
            scan(settings.inbox),
            IngestContext(
                DEMO_KEY, site_windows(con), settings.today, datetime.now(), "correction"
            ),
        )
        build_all(con, settings.annual_full_time_hours)
        write_published_figures(con, settings.thresholds)
        build_quality_tables(con, settings)

    datasets = _publish(settings, "2025-S2", "seconde")
    revisions = pl.concat([d.revisions for d in datasets])
    exits = revisions.filter(
        (pl.col("maille") == "departement")
        & (pl.col("code_zone") == "77")
        & (pl.col("indicateur") == "sorties")
        & (pl.col("periode") == "2025-S1")
    )
    [row] = exits.to_dicts()
    key = (row["maille"], row["code_zone"], row["periode"], row["indicateur"])
    assert row["texte_publie"] == published[key] and row["texte"] != row["texte_publie"]
    assert row["revision"].startswith("livraison corrigée reçue le ")
    page = (settings.outputs / DEPARTMENTS_DIR / "2025-S2" / READ / PAGE).read_text(
        encoding="utf-8"
    )
    assert "Révisions de chiffres déjà publiés" in page
    assert revisions.filter(pl.col("code_zone") == "13").height == 0  # other departments untouched
    # A second semester's pack reviews its year, beside the year before, the DISP and France.
    assert "Bilan de l'année 2025" in page
    assert year_coverage_sentence(settings.warehouse, "2025", "77") in " ".join(
        visible_text(page).split()
    )
    reviewed = {
        (c["data-maille"], c["data-periode"])
        for c in figure_cells(page)
        if c["data-indicateur"] == "entrees"
    }
    assert {("departement", "2025"), ("departement", "2024"), ("disp", "2025")} <= reviewed
    assert ("nation", "2025") in reviewed

    # An unchanged run shows the same revisions (the packs of the semester are not re-rendered)…
    again = _publish(settings, "2025-S2", "troisieme")
    assert [d.fingerprint() for d in again] == [d.fingerprint() for d in datasets]
    assert pl.concat([d.revisions for d in again]).sort(KEY).equals(revisions.sort(KEY))
    # …until the next semester's packs, which show only what was revised since their own start.
    following = pl.concat([d.revisions for d in _publish(settings, "2026-S1", "suivante")])
    assert following.join(exits, on=KEY, how="semi").height == 0
