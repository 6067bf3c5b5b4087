"""Publishing the packs: each folder swapped in atomically with its zip, re-rendered only when
what it shows changed, and the index page of every publication.

A pack's folder holds `publication.json` (its fingerprint, run and dates): a later run compares
fingerprints and leaves an up-to-date pack alone, so that a site's re-submission re-renders its
department's pack (first) and the packs whose national comparison moved, not every pack.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import duckdb

from pipelines.periods import Semester
from pipelines.settings import Thresholds
from reports.environment import TEMPLATES, template_environment
from reports.packs.dataset import (
    SEMESTER,
    YEAR,
    PackDataset,
    departmental_dataset,
    departments,
    load_sources,
    national_dataset,
)
from reports.packs.queries import query
from reports.packs.render import (
    ASSETS,
    PAGE,
    PDF,
    STATIC,
    STYLESHEETS,
    copy_assets,
    write_pack,
    zip_folder,
)
from reports.publishing import publish_folder
from reports.theme import DSFR_DIR

COPIL = Path("copil")
DEPARTMENTS_DIR = COPIL / "departements"
NATIONAL_DIR = COPIL / "national"
MANIFEST = "publication.json"
QUALITY_PAGE = Path("qualite") / "index.html"
DASHBOARD_PAGE = Path("tableau_de_bord") / "index.html"


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


def publish_pack(dataset: PackDataset, target: Path, *, force: bool = False) -> Outcome:
    """Render the pack into `target` (and `target`.zip) unless the published one is current.

    Written aside then swapped in: a failure leaves the previous pack and zip as they were.
    """
    started = time.perf_counter()
    manifest = _manifest(dataset)
    if not force and read_manifest(target).get("empreinte") == manifest["empreinte"]:
        return Outcome(dataset.zone, dataset.period, target, False, 0.0)
    archive = target.with_name(f"{target.name}.zip")
    partial = target.with_name(f".{target.name}.{os.getpid()}.zip.part")
    try:
        with publish_folder(target) as staging:
            write_pack(dataset, staging)
            (staging / MANIFEST).write_text(
                json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            zip_folder(staging, partial, target.name)
        partial.replace(archive)
    finally:
        partial.unlink(missing_ok=True)
    return Outcome(dataset.zone, dataset.period, target, True, time.perf_counter() - started)


def _own_figures_changed(dataset: PackDataset, target: Path) -> bool:
    return read_manifest(target).get("empreinte_zone") != dataset.own_fingerprint()


def departmental_packs(
    con: duckdb.DuckDBPyConnection, semester: str, thresholds: Thresholds, run_id: str
) -> list[PackDataset]:
    """The dataset of every department with a site open in `semester` (read, then render)."""
    sources = load_sources(con, SEMESTER, thresholds, run_id, datetime.now())
    return [departmental_dataset(sources, d, semester) for d in departments(sources, semester)]


def national_report(
    con: duckdb.DuckDBPyConnection, year: str, thresholds: Thresholds, run_id: str
) -> PackDataset:
    return national_dataset(load_sources(con, YEAR, thresholds, run_id, datetime.now()), year)


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
    stale = [
        (d, t)
        for d, t in targets
        if force or read_manifest(t).get("empreinte") != pack_fingerprint(d)
    ]
    rendered = {o.folder: o for o in _render_in_parallel(stale)}
    return [rendered.get(t) or Outcome(d.zone, d.period, t, False, 0.0) for d, t in targets]


def _render_in_parallel(targets: list[tuple[PackDataset, Path]]) -> list[Outcome]:
    """Render the packs found out of date, one worker process per core: PDF layout is CPU-bound
    and each pack independent of the others.

    Workers come from a fork server with the renderer preloaded, not from a fork of this process:
    Polars' thread pool does not survive a fork.
    """
    workers = min(len(targets), os.cpu_count() or 1)
    if workers <= 1:
        return [publish_pack(d, t, force=True) for d, t in targets]
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(_render_one, targets))


def _render_one(target: tuple[PackDataset, Path]) -> Outcome:
    return publish_pack(*target, force=True)


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


def publish_index(outputs: Path, generated_at: datetime) -> Path:
    """`<outputs>/index.html`: every pack, the quality overview and the dashboard when present."""
    departmental = _listed(outputs, f"{DEPARTMENTS_DIR.as_posix()}/*/*/{MANIFEST}")
    semesters = sorted({p["periode"] for p in departmental}, reverse=True)
    page = (
        template_environment()
        .get_template("copil/index.html.j2")
        .render(
            mode="web",
            assets=ASSETS,
            feuilles=STYLESHEETS,
            nationaux=sorted(
                _listed(outputs, f"{NATIONAL_DIR.as_posix()}/*/{MANIFEST}"),
                key=lambda p: p["periode"],
                reverse=True,
            ),
            semestres=[(s, [p for p in departmental if p["periode"] == s]) for s in semesters],
            qualite=QUALITY_PAGE.as_posix() if (outputs / QUALITY_PAGE).is_file() else None,
            tableau_de_bord=DASHBOARD_PAGE.as_posix()
            if (outputs / DASHBOARD_PAGE).is_file()
            else None,
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
