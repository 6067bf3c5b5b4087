"""Steward quality reports: one page per site and semester, the national overview, the page of the
national re-incarceration extracts, and the blank export templates every page links to.

They point at rows the way a steward's spreadsheet shows them (file, line, column) with the value
and what to do; an identifier is never shown (the findings never hold one).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.codes import load_codes
from pipelines.contracts import contracts_version
from pipelines.export_templates import Template, write_templates
from pipelines.ingest.inbox import NATIONAL
from pipelines.settings import Thresholds
from pipelines.warehouse.quality import reference_date
from reports.confidentiality import count_text, small_count_hidden
from reports.environment import template_environment
from reports.packs.render import ASSETS, STYLESHEETS, copy_assets
from reports.publishing import publish_folder, write_run

log = logging.getLogger("iae")
HELD, REFUSED = "a_confirmer", "rejetee"
TEMPLATES_DIR = "modeles"
NATIONAL_PAGE = "reincarcerations.html"
# People of a re-incarceration extract tied to an earlier release from a workshop.
TIED = "personnes_rapprochees"


@dataclass(frozen=True)
class RunInfo:
    """What every output states: when the data stops, which contracts, which run."""

    run_id: str
    reference_date: str
    contracts_version: str
    generated_at: str


def run_info(run_id: str, con: duckdb.DuckDBPyConnection) -> RunInfo:
    """This run's statement, with the warehouse's reference date."""
    return RunInfo(
        run_id, reference_date(con), contracts_version(), datetime.now().strftime("%d/%m/%Y %H:%M")
    )


def site_page(site: str, period: str) -> str:
    return f"{site}/{period}.html"


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    return {
        "statut": con.table("statut_livraisons").pl(),
        "anomalies": con.table("anomalies").pl().sort("fichier", "ligne", "regle"),
        "sites": con.table("ref_sites").pl(),
        "ecartes": con.table("envois_ecartes").pl(),
        "extraits": con.table("qualite_reincarcerations").pl(),
        "non_reconduits": con.table("parcours_non_reconduits")
        .pl()
        .sort("fichier_precedent", "ligne_precedente"),
    }


def _status_labels() -> dict[str, dict]:
    return {
        c.code: {"libelle": c.libelle, **c.attributes}
        for c in load_codes()["statut_livraison"].codes
    }


def _site_status(statut: pl.DataFrame) -> pl.DataFrame:
    """Worst status of a site's three exports, by period."""
    severity = {code: spec["gravite"] for code, spec in _status_labels().items()}
    return (
        statut.with_columns(pl.col("statut").replace_strict(severity).alias("_gravite"))
        .sort("_gravite", descending=True)
        .group_by("code_site", "periode", maintain_order=True)
        .agg(
            pl.col("statut").first(),
            pl.col("lignes_quarantaine").sum(),
            pl.col("fichiers_rejetes").sum(),
        )
    )


def _pending_held(set_aside: pl.DataFrame) -> pl.DataFrame:
    """Corrections held for confirmation that nothing accepted since has settled."""
    return set_aside.filter(pl.col("en_attente") & (pl.col("statut") == HELD))


def _by_page(frame: pl.DataFrame) -> dict[tuple[str, str], list[dict]]:
    """Rows grouped by (site, period) once, rather than filtered again for every page."""
    groups = frame.filter(pl.col("code_site").is_not_null()).partition_by(
        "code_site", "periode", as_dict=True
    )
    return {key: rows.to_dicts() for key, rows in groups.items()}  # type: ignore[misc]


def render_quality_reports(
    con: duckdb.DuckDBPyConnection, target: Path, run: RunInfo, thresholds: Thresholds
) -> int:
    """Write every page and the export templates into `target` atomically; returns the number
    of pages."""
    data = _tables(con)
    env = template_environment()
    labels = _status_labels()
    site_page_template = env.get_template("qualite/site.html.j2")
    exports = _by_page(data["statut"].sort("type_export"))
    refused = data["ecartes"].filter(pl.col("statut") == REFUSED).sort("date_reception")
    refusals = _by_page(refused)
    findings = _by_page(data["anomalies"])
    held = _by_page(_pending_held(data["ecartes"]))
    unlisted = _by_page(data["non_reconduits"])
    sites = {row["code_site"]: row for row in data["sites"].to_dicts()}
    with publish_folder(target) as out:
        templates = write_templates(out / TEMPLATES_DIR)
        for site, period in sorted(exports):
            page = out / site_page(site, period)
            page.parent.mkdir(exist_ok=True)
            page.write_text(
                site_page_template.render(
                    mode="web",
                    assets=f"../{ASSETS}",
                    feuilles=STYLESHEETS,
                    run=run,
                    site=sites[site],
                    periode=period,
                    exports=exports[(site, period)],
                    refus=refusals.get((site, period), []),
                    a_confirmer=held.get((site, period), []),
                    anomalies=findings.get((site, period), []),
                    non_reconduits=unlisted.get((site, period), []),
                    statuts=labels,
                    modeles=templates,
                    racine="../",
                ),
                encoding="utf-8",
            )
        (out / "index.html").write_text(
            _overview(env, data, labels, run, templates), encoding="utf-8"
        )
        (out / NATIONAL_PAGE).write_text(
            _national_extract(env, data, refused, run, templates, thresholds), encoding="utf-8"
        )
        copy_assets(out / ASSETS)
        write_run(out, run.run_id, run.generated_at)
    pages = len(exports) + 2
    log.info("Rapports de qualité des référents : %d pages dans %s.", pages, target)
    return pages


def _national_extract(  # type: ignore[no-untyped-def]
    env,
    data: dict[str, pl.DataFrame],
    refused: pl.DataFrame,
    run: RunInfo,
    templates: list[Template],
    thresholds: Thresholds,
) -> str:
    """The national steward's page: each re-incarceration extract in force, its refusals and rows.
    The people it ties to a release are a statistic on released people, hidden from 1 to
    `min_count − 1` as in the publications; the file's rows are not (the steward checks them)."""
    national = pl.col("code_site") == NATIONAL
    extracts = data["extraits"].with_columns(small_count_hidden(TIED, thresholds))
    return env.get_template("qualite/reincarcerations.html.j2").render(
        mode="web",
        assets=ASSETS,
        feuilles=STYLESHEETS,
        run=run,
        extraits=[{**e, f"{TIED}_texte": count_text(e[TIED])} for e in extracts.to_dicts()],
        seuil=thresholds.min_count,
        refus=refused.filter(national).to_dicts(),
        anomalies=data["anomalies"].filter(national).to_dicts(),
        modeles=templates,
        racine="",
    )


def _overview(  # type: ignore[no-untyped-def]
    env,
    data: dict[str, pl.DataFrame],
    labels: dict[str, dict],
    run: RunInfo,
    templates: list[Template],
) -> str:
    status = _site_status(data["statut"])
    periods = sorted(status["periode"].unique().to_list())
    cells = {(r["code_site"], r["periode"]): r for r in status.to_dicts()}
    sites = data["sites"].sort("departement", "code_site").to_dicts()
    latest = periods[-1] if periods else None
    counts = (
        status.filter(pl.col("periode") == latest).group_by("statut").len().to_dicts()
        if latest
        else []
    )
    set_aside = data["ecartes"]
    return env.get_template("qualite/index.html.j2").render(
        mode="web",
        assets=ASSETS,
        feuilles=STYLESHEETS,
        run=run,
        periodes=periods,
        sites=sites,
        cellules=cells,
        statuts=labels,
        derniere_periode=latest,
        repartition={c["statut"]: c["len"] for c in counts},
        a_confirmer=_pending_held(set_aside).to_dicts(),
        refus=set_aside.filter(pl.col("statut") == REFUSED).to_dicts(),
        page=site_page,
        page_nationale=NATIONAL_PAGE,
        modeles=templates,
        racine="",
    )
