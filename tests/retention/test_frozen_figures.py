"""Published figures are frozen: a purge never changes them, a late correction shows as a revision."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from pipelines.ingest.inbox import scan
from pipelines.ingest.process import IngestContext, ingest
from pipelines.referentials import site_windows
from pipelines.settings import Settings
from pipelines.warehouse.connection import connect
from pipelines.warehouse.models import build_all
from pipelines.warehouse.quality import build_quality_tables
from pipelines.warehouse.retention import purge, retention_limit
from reports.packs.dataset import PackDataset
from reports.packs.figures import write_published_figures
from reports.packs.frozen import freeze
from reports.packs.publish import DEPARTMENTS_DIR, departmental_packs, publish_departmental_packs
from reports.packs.render import PAGE
from tests.conftest import PARCOURS_HEADER, parcours_row, write_csv
from tests.reports.pack_fixture import DEMO_KEY, build_demo_warehouse
from tests.reports.page_reading import figure_cells

pytestmark = pytest.mark.lent

OLD = "2022-S1"


def _publish(settings: Settings, semester: str, run_id: str) -> list[PackDataset]:
    """What the publication asset does: build, render, then freeze what was published."""
    with connect(settings.warehouse, read_only=True) as con:
        datasets = departmental_packs(con, semester, settings.thresholds, run_id)
    publish_departmental_packs(datasets, settings.outputs, semester, force=True)
    with connect(settings.warehouse) as con:
        freeze(
            con,
            pl.concat([d.figures for d in datasets]),
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


def test_a_purge_changes_no_published_figure(tmp_path: Path) -> None:
    settings = build_demo_warehouse(tmp_path)
    before = _texts(_publish(settings, OLD, "avant-purge"))
    pages_before = _cells(settings, OLD, "77")
    with connect(settings.warehouse, read_only=True) as con:
        live_before = con.sql(
            f"SELECT sum(numerateur) FROM indicateurs WHERE periode = '{OLD}' AND maille = 'nation'"
        ).fetchall()

    later = replace(settings, today=datetime(2026, 3, 1).date())
    report = purge(
        settings.warehouse,
        retention_limit(later.today, 36),
        simulate=False,
        rebuild=_rebuild(later),
    )
    assert report.rows["parcours"] > 0
    with connect(settings.warehouse, read_only=True) as con:
        live_after = con.sql(
            f"SELECT sum(numerateur) FROM indicateurs WHERE periode = '{OLD}' AND maille = 'nation'"
        ).fetchall()
    assert live_after != live_before  # the purge did remove what these figures were computed from

    after = _texts(_publish(later, OLD, "apres-purge"))
    assert after == before
    assert _cells(settings, OLD, "77") == pages_before
    with connect(settings.warehouse, read_only=True) as con:
        assert con.sql(
            "SELECT count(*) FROM chiffres_publies WHERE run_id = 'apres-purge'"
        ).fetchall() == [(0,)]


def test_a_late_correction_is_shown_as_a_revision(tmp_path: Path) -> None:
    settings = build_demo_warehouse(tmp_path)
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
    page = (settings.outputs / DEPARTMENTS_DIR / "2025-S2" / "77" / PAGE).read_text(
        encoding="utf-8"
    )
    assert "Révisions de chiffres déjà publiés" in page
    assert revisions.filter(pl.col("code_zone") == "13").height == 0  # other departments untouched
