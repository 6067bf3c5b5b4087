"""Publishing the packs: each folder swapped in atomically with its zip, re-rendered only when
what it shows changed, and the index page of every publication.

A pack's folder holds `publication.json` (its fingerprint, run and dates): a later run compares
fingerprints and leaves an up-to-date pack alone, so that a site's re-submission re-renders its
department's pack (first) and the packs whose national comparison moved, not every pack.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import duckdb

from pipelines.periods import Semester
from pipelines.settings import Thresholds
from reports import formatting
from reports.chromium import run_interruptible
from reports.environment import TEMPLATES, template_environment
from reports.packs.dataset import (
    SEMESTER,
    YEAR,
    PackDataset,
    departmental_dataset,
    departments,
    load_sources,
    national_dataset,
    with_review,
)
from reports.packs.queries import query
from reports.packs.render import (
    ASSETS,
    PAGE,
    PDF,
    STATIC,
    STYLESHEETS,
    Printer,
    copy_assets,
    printers,
    write_pack,
    zip_folder,
)
from reports.publishing import publish_folder, read_run
from reports.theme import DSFR_DIR

log = logging.getLogger("iae")

COPIL = Path("copil")
DEPARTMENTS_DIR = COPIL / "departements"
NATIONAL_DIR = COPIL / "national"
MANIFEST = "publication.json"
QUALITY_PAGE = Path("qualite") / "index.html"
DASHBOARD_PAGE = Path("tableau_de_bord") / "index.html"
REGISTER_PAGE = Path("registre") / "index.html"
# The publications made outside the packs, whose run the index states.
OTHER_PUBLICATIONS = (
    ("Tableau de bord national", DASHBOARD_PAGE),
    ("Rapports de qualité des référents", QUALITY_PAGE),
    ("Registre des traitements", REGISTER_PAGE),
)


@dataclass(frozen=True)
class Outcome:
    """One pack after a publication run: re-rendered or left as it was, and how long it took."""

    zone: str
    period: str
    folder: Path
    rendered: bool
    seconds: float


@cache
def renderer_signature() -> str:
    """Changes when the templates or stylesheets do: a new layout re-renders every pack."""
    digest = hashlib.sha256()
    files = [*sorted(TEMPLATES.rglob("*.j2")), *sorted(STATIC.glob("*.css"))]
    for path in files + sorted((DSFR_DIR / "css").glob("*.css")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def pack_fingerprint(dataset: PackDataset) -> str:
    return hashlib.sha256((dataset.fingerprint() + renderer_signature()).encode()).hexdigest()


def read_manifest(folder: Path) -> dict[str, str]:
    path = folder / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _manifest(dataset: PackDataset) -> dict[str, str]:
    return {
        "type": dataset.kind,
        "zone": dataset.zone,
        "libelle": dataset.label,
        "periode": dataset.period,
        "empreinte": pack_fingerprint(dataset),
        "empreinte_zone": dataset.own_fingerprint(),
        "execution": dataset.edition.run_id,
        "produit_le": dataset.edition.generated_at.isoformat(timespec="seconds"),
        "donnees_au": dataset.edition.data_until.isoformat(),
    }


def _is_current(dataset: PackDataset, target: Path) -> bool:
    return read_manifest(target).get("empreinte") == pack_fingerprint(dataset)


async def _publish(dataset: PackDataset, target: Path, printer: Printer) -> Outcome:
    """Render the pack into `target` (and `target`.zip), written aside then swapped in: a
    failure leaves the previous pack and zip as they were."""
    started = time.perf_counter()
    archive = target.with_name(f"{target.name}.zip")
    partial = target.with_name(f".{target.name}.{os.getpid()}.zip.part")
    try:
        with publish_folder(target) as staging:
            overflowing = await write_pack(dataset, staging, printer)
            if overflowing:
                log.warning(
                    "Dossier %s : trop large pour la page A4, réduit à l'impression : %s.",
                    target.name,
                    " ; ".join(overflowing),
                )
            manifest = {**_manifest(dataset), "debordements": overflowing}
            (staging / MANIFEST).write_text(
                json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            zip_folder(staging, partial, target.name)
        partial.replace(archive)
    finally:
        partial.unlink(missing_ok=True)
    return Outcome(dataset.zone, dataset.period, target, True, time.perf_counter() - started)


async def _publish_all(targets: list[tuple[PackDataset, Path]], lanes: int) -> list[Outcome]:
    """Render `targets` in order on `lanes` printers of one Chromium.

    While one lane's page is drawn or printed by Chromium (its own processes), this process
    prepares the next pack of another lane: with a lane per core, both cores stay busy.
    """
    pending = iter(targets)
    outcomes: list[Outcome] = []

    async def lane(printer: Printer) -> None:
        for dataset, target in pending:
            outcomes.append(await _publish(dataset, target, printer))

    async with printers(min(lanes, len(targets))) as started:
        await asyncio.gather(*(lane(p) for p in started))
    return outcomes


def publish_packs(
    targets: list[tuple[PackDataset, Path]], lanes: int | None = None
) -> list[Outcome]:
    """Render every pack of `targets`, one lane per core unless told (nothing to do: no
    Chromium started)."""
    if not targets:
        return []
    return run_interruptible(_publish_all(targets, lanes or os.cpu_count() or 1))


def publish_pack(dataset: PackDataset, target: Path, *, force: bool = False) -> Outcome:
    """Render one pack unless the published one is current."""
    if not force and _is_current(dataset, target):
        return Outcome(dataset.zone, dataset.period, target, False, 0.0)
    [outcome] = publish_packs([(dataset, target)])
    return outcome


def _own_figures_changed(dataset: PackDataset, target: Path) -> bool:
    return read_manifest(target).get("empreinte_zone") != dataset.own_fingerprint()


def departmental_packs(
    con: duckdb.DuckDBPyConnection, semester: str, thresholds: Thresholds, run_id: str
) -> list[PackDataset]:
    """The dataset of every department with a site open in `semester` (read, then render)."""
    sources = load_sources(con, SEMESTER, semester, thresholds, run_id, datetime.now())
    datasets = [departmental_dataset(sources, d, semester) for d in departments(sources, semester)]
    edition = Semester.parse(semester)
    if edition.half == 1:
        return datasets
    year = load_sources(con, YEAR, str(edition.year), thresholds, run_id, datetime.now())
    return [with_review(d, year) for d in datasets]


def national_report(
    con: duckdb.DuckDBPyConnection, year: str, thresholds: Thresholds, run_id: str
) -> PackDataset:
    return national_dataset(load_sources(con, YEAR, year, thresholds, run_id, datetime.now()), year)


def latest_periods(con: duckdb.DuckDBPyConnection) -> tuple[str | None, str | None]:
    """What a run publishes: the latest semester with data, and the latest year whose second
    semester has data (None when there is none)."""
    row = query(con, "edition").row(0, named=True)
    first, last = row["premiere_periode"], row["derniere_periode"]
    if last is None:
        return None, None
    semester = Semester.parse(last)
    year = semester.year if semester.half == 2 else semester.year - 1
    return last, str(year) if Semester(year, 2) >= Semester.parse(first) else None


def publish_departmental_packs(
    datasets: list[PackDataset],
    outputs: Path,
    semester: str,
    *,
    force: bool = False,
    own_changes_only: bool = False,
) -> list[Outcome]:
    """Each department's pack for `semester` that changed (every pack with `force`).

    Packs whose department's own figures changed come first, then those where only the national
    comparison moved; `own_changes_only` leaves the latter for a later run (a re-submission then
    refreshes its department's pack at once, the scheduled run catches up the others).
    """
    folder = outputs / DEPARTMENTS_DIR / semester
    targets = sorted(
        ((d, folder / d.zone) for d in datasets),
        key=lambda item: not _own_figures_changed(*item),
    )
    if own_changes_only and not force:
        targets = [(d, t) for d, t in targets if _own_figures_changed(d, t)]
    stale = [(d, t) for d, t in targets if force or not _is_current(d, t)]
    rendered = {o.folder: o for o in publish_packs(stale)}
    return [rendered.get(t) or Outcome(d.zone, d.period, t, False, 0.0) for d, t in targets]


def publish_national_report(dataset: PackDataset, outputs: Path, *, force: bool = False) -> Outcome:
    return publish_pack(dataset, outputs / NATIONAL_DIR / dataset.period, force=force)


def _listed(outputs: Path, pattern: str) -> list[dict[str, object]]:
    """Manifests of the published packs under `outputs` matching `pattern`, with their links."""
    packs = []
    for manifest in sorted(outputs.glob(pattern)):
        folder = manifest.parent
        relative = folder.relative_to(outputs).as_posix()
        manifest = read_manifest(folder)
        packs.append(
            {
                **manifest,
                "donnees_au": date.fromisoformat(manifest["donnees_au"]),
                "produit_le": datetime.fromisoformat(manifest["produit_le"]),
                "page": f"{relative}/{PAGE}",
                "pdf": f"{relative}/{PDF}",
                "zip": f"{relative}.zip",
            }
        )
    return packs


def _run_row(publication: str, packs: list[dict[str, object]]) -> dict[str, object]:
    return {
        "publication": publication,
        "executions": sorted({str(p["execution"]) for p in packs}),
        "produit_le": formatting.long_day(max(p["produit_le"] for p in packs)),  # type: ignore[type-var]
    }


def _runs(
    outputs: Path, national: list[dict[str, object]], departmental: list[dict[str, object]]
) -> list[dict[str, object]]:
    """Which run produced each publication of the latest round: the latest semester's packs,
    the latest national report, then the dashboard, quality reports and register."""
    rows = []
    if departmental:
        latest = max(str(p["periode"]) for p in departmental)
        packs = [p for p in departmental if p["periode"] == latest]
        rows.append(_run_row(f"Dossiers départementaux, {formatting.period(latest)}", packs))
    if national:
        rows.append(_run_row(f"Rapport national {national[0]['periode']}", national[:1]))
    for name, page in OTHER_PUBLICATIONS:
        run = read_run(outputs / page.parent)
        if run:
            rows.append(
                {
                    "publication": name,
                    "executions": [run["execution"]],
                    "produit_le": run["produit_le"],
                }
            )
    return rows


def _present(outputs: Path, page: Path) -> str | None:
    return page.as_posix() if (outputs / page).is_file() else None


def publish_index(outputs: Path, generated_at: datetime) -> Path:
    """`<outputs>/index.html`: every pack, the quality overview and the dashboard when present."""
    departmental = _listed(outputs, f"{DEPARTMENTS_DIR.as_posix()}/*/*/{MANIFEST}")
    semesters = sorted({p["periode"] for p in departmental}, reverse=True)
    national = sorted(
        _listed(outputs, f"{NATIONAL_DIR.as_posix()}/*/{MANIFEST}"),
        key=lambda p: p["periode"],
        reverse=True,
    )
    page = (
        template_environment()
        .get_template("copil/index.html.j2")
        .render(
            mode="web",
            assets=ASSETS,
            feuilles=STYLESHEETS,
            nationaux=national,
            semestres=[(s, [p for p in departmental if p["periode"] == s]) for s in semesters],
            qualite=_present(outputs, QUALITY_PAGE),
            tableau_de_bord=_present(outputs, DASHBOARD_PAGE),
            registre=_present(outputs, REGISTER_PAGE),
            executions=_runs(outputs, national, departmental),
            produit_le=generated_at,
        )
    )
    with publish_folder(outputs / ASSETS) as staging:
        copy_assets(staging)
    index = outputs / PAGE
    partial = index.with_name(f".{PAGE}.{os.getpid()}.part")
    partial.write_text(page, encoding="utf-8")
    partial.replace(index)
    return index
