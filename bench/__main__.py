"""`make bench`: the whole chain at 1×, 10× and 50× the demo's national volume, stage by stage.

Each volume runs in a fresh process and a fresh output folder (`var/bench/x<N>`), with a thread
sampling the process's memory; the table gives rows, files, wall time and peak memory per stage
and in total, then the two rendering figures: every departmental pack of the latest semester and
the national report (their two stages), and one departmental pack rendered alone (the per-pack
target); then the incremental case: one site re-sends a corrected file, and the time until its
department's pack is refreshed.
The table is also written as JSON (`var/bench/resultats.json`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from pipelines.paths import PROJECT_ROOT
from pipelines.stages import STAGES

SCALES = (1, 10, 50)
BENCH_HOME = PROJECT_ROOT / "var" / "bench"
BENCH_KEY = "cle-de-banc-d-essai-0123456789abcdef"
INCREMENTAL_SITE = "77-meaux"
PACK_SAMPLE = 10
# The stages that render every departmental pack of the semester, then the national report.
PUBLICATION_STAGES = ("dossiers COPIL départementaux", "rapport national")
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measure:
    scale: float
    files: int = 0
    rows: int = 0
    generation_seconds: float = 0.0
    total_seconds: float = 0.0
    peak_rss_bytes: int = 0
    stages: list[dict] = field(default_factory=list)
    incremental_seconds: float | None = None
    pack_seconds: list[float] = field(default_factory=list)
    # A blocking check that stopped the chain (the secrecy audit): what it said, first line.
    publication_arretee: str | None = None


class _Sampler(threading.Thread):
    """Reads the resident memory every 20 ms and charges it to the running stage."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stopped = threading.Event()

    def run(self) -> None:
        statm = Path("/proc/self/statm")
        while not self.stopped.wait(0.02):
            STAGES.sample(int(statm.read_text().split()[1]) * _PAGE)


def _settings(home: Path):  # type: ignore[no-untyped-def]
    """The generated inbox is complete before the run: the settle delay would only add sleep."""
    from pipelines.settings import Settings

    settings = Settings.from_env()
    return replace(
        settings,
        home=home,
        inbox=home / "boite_de_depot",
        safeguards=replace(settings.safeguards, settle_seconds=0.0),
    )


def _register_counts(home: Path) -> tuple[int, int]:
    from pipelines.warehouse.connection import connect

    with connect(home / "entrepot.duckdb", read_only=True) as con:
        files, rows = con.sql(
            "SELECT count(*), coalesce(sum(lignes_recues), 0) FROM livraisons"
        ).fetchall()[0]
    return int(files), int(rows)


def measure_scale(scale: float, home: Path) -> Measure:
    """Generate, then run the chain and the publications; runs in its own process. A blocking
    check that stops the chain (the secrecy audit) is a result: measured, then reported."""
    from generator import generate_inbox
    from pipelines.errors import IaeError
    from pipelines.runner import run_chain, run_publications

    shutil.rmtree(home, ignore_errors=True)
    start = time.perf_counter()
    generate_inbox(home / "boite_de_depot", scale=scale)
    generated = time.perf_counter() - start
    STAGES.records.clear()
    sampler = _Sampler()
    sampler.start()
    start = time.perf_counter()
    settings = _settings(home)
    stopped = None
    try:
        run_chain(settings)
    except IaeError as error:
        stopped = str(error).splitlines()[0]
    else:
        run_publications(settings)
    total = time.perf_counter() - start
    sampler.stopped.set()
    files, rows = _register_counts(home)
    return Measure(
        scale=scale,
        files=files,
        rows=rows,
        generation_seconds=generated,
        total_seconds=total,
        peak_rss_bytes=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        stages=[asdict(r) for r in STAGES.records.values()],
        publication_arretee=stopped,
    )


def _corrected_copy(latest: Path) -> Path:
    """The site's latest parcours export re-sent with its last row removed (a real correction)."""
    from pipelines.contracts import load_contract
    from pipelines.ingest.readers import LINE_COLUMN, read_table

    contract = load_contract("parcours")
    rows = read_table(latest, contract.header_lookup(), contract.required_columns).frame.drop(
        LINE_COLUMN
    )
    corrected = latest.with_name(f"{latest.name.split('.')[0]}_corrige.csv")
    corrected.write_bytes(
        rows.head(rows.height - 1).write_csv(separator=";").encode("cp1252", errors="replace")
    )
    os.utime(corrected, (time.time(), time.time()))
    return corrected


def measure_pack_render(home: Path, sample: int = PACK_SAMPLE) -> list[float]:
    """Seconds to render one departmental pack (HTML, PDF, zip) alone, for a sample of the latest
    semester's departments rendered one after the other, after one pack rendered to warm the
    process and Chromium up (templates, fonts, the chart-drawing page)."""
    import tempfile

    from pipelines.warehouse.connection import connect
    from reports.packs.publish import departmental_packs, latest_periods, publish_packs

    settings = _settings(home)
    with connect(settings.warehouse, read_only=True) as con:
        semester, _ = latest_periods(con)
        datasets = departmental_packs(con, semester, settings.thresholds, "banc-d-essai")
    with tempfile.TemporaryDirectory() as folder:
        targets = [(d, Path(folder) / d.zone) for d in datasets[: sample + 1]]
        seconds = [outcome.seconds for outcome in publish_packs(targets, lanes=1)]
    return seconds[1:]


def measure_incremental(home: Path) -> float:
    """One site re-sends a corrected parcours file: seconds until its department's pack is new
    (the pack's zip, written last, is replaced; the national diffusion follows, not counted)."""
    import polars as pl

    from pipelines.referentials import read_sites
    from pipelines.runner import refresh_site
    from pipelines.warehouse.connection import connect
    from reports.packs.publish import DEPARTMENTS_DIR, latest_periods

    settings = _settings(home)
    inbox = home / "boite_de_depot"
    _corrected_copy(max(inbox.glob(f"{INCREMENTAL_SITE}_parcours_*"), key=lambda p: p.name))
    with connect(settings.warehouse, read_only=True) as con:
        semester, _ = latest_periods(con)
    sites = read_sites(inbox).frame
    department = sites.filter(pl.col("code_site") == INCREMENTAL_SITE)["departement"].item()
    archive = settings.outputs / DEPARTMENTS_DIR / str(semester) / f"{department}.zip"
    start = time.time()
    refresh_site(settings, INCREMENTAL_SITE)
    refreshed = archive.stat().st_mtime
    if refreshed < start:
        sys.exit(f"Le dossier {archive} n'a pas été régénéré après le renvoi.")
    return refreshed - start


def _child(scale: float, home: Path, incremental: bool) -> Measure:
    env = {**os.environ, "IAE_CLE": BENCH_KEY}
    command = [
        sys.executable,
        "-m",
        "bench",
        "--une-echelle",
        str(scale),
        "--home",
        str(home),
    ]
    if incremental:
        command.append("--incremental")
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=PROJECT_ROOT)
    if done.returncode:
        sys.exit(f"La mesure à {scale:g}× a échoué :\n{done.stderr[-4000:]}")
    return Measure(**json.loads(done.stdout.strip().splitlines()[-1]))


def _mb(value: int) -> str:
    return f"{value / 2**20:,.0f} Mo".replace(",", " ")


def print_table(measures: list[Measure]) -> None:
    print(
        f"{'volume':>7} {'fichiers':>9} {'lignes':>10} {'étape':<30} {'temps (s)':>10} {'mémoire max':>12}"
    )
    for m in measures:
        for s in m.stages:
            print(
                f"{m.scale:>6g}× {m.files:>9} {m.rows:>10} {s['name']:<30} {s['seconds']:>10.1f} {_mb(s['peak_rss_bytes']):>12}"
            )
        print(
            f"{m.scale:>6g}× {m.files:>9} {m.rows:>10} {'TOTAL (hors génération)':<30} {m.total_seconds:>10.1f} {_mb(m.peak_rss_bytes):>12}"
        )
        per_million = m.total_seconds / max(m.rows, 1) * 1e6
        print(
            f"{'':>7} génération {m.generation_seconds:.1f} s ; {per_million:.0f} s par million de lignes"
        )
        if m.publication_arretee:
            print(f"{'':>7} publications non mesurées : {m.publication_arretee}")
        publications = [s for s in m.stages if s["name"] in PUBLICATION_STAGES]
        if len(publications) == len(PUBLICATION_STAGES):
            print(
                f"{'':>7} tous les dossiers départementaux du semestre et le rapport national : "
                f"{sum(s['seconds'] for s in publications):.1f} s"
            )
        if m.pack_seconds:
            print(
                f"{'':>7} un dossier départemental rendu seul (HTML, PDF, zip) : "
                f"{sum(m.pack_seconds) / len(m.pack_seconds):.2f} s en moyenne, "
                f"{max(m.pack_seconds):.2f} s au plus ({len(m.pack_seconds)} dossiers)"
            )
        if m.incremental_seconds is not None:
            print(
                f"{'':>7} renvoi corrigé d'un site → dossier de son département à jour : {m.incremental_seconds:.1f} s"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench", description="Mesures de temps et de mémoire de la chaîne."
    )
    parser.add_argument("--une-echelle", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--incremental", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--echelles",
        type=float,
        nargs="+",
        default=SCALES,
        help="volumes à mesurer (défaut : 1 10 50)",
    )
    args = parser.parse_args(argv)
    if args.une_echelle is not None:
        measure = measure_scale(args.une_echelle, args.home)
        if args.incremental:
            measure.pack_seconds = measure_pack_render(args.home)
            measure.incremental_seconds = measure_incremental(args.home)
        print(json.dumps(asdict(measure)))
        return 0
    measures = []
    for scale in args.echelles:
        print(f"Mesure à {scale:g}× …", flush=True)
        measures.append(_child(scale, BENCH_HOME / f"x{scale:g}", incremental=scale == 1))
    print_table(measures)
    BENCH_HOME.mkdir(parents=True, exist_ok=True)
    (BENCH_HOME / "resultats.json").write_text(
        json.dumps([asdict(m) for m in measures], indent=2), encoding="utf-8"
    )
    print(f"Résultats : {BENCH_HOME / 'resultats.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
