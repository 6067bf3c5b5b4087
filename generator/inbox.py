"""Generate a synthetic national inbox: every site's exports since 2016, as real offices send them.

The steps: simulate each site's history, cut it into semester exports, decide when each file
arrives (or not), inject known defects, write the files in each site's style with their arrival
time, then list every defect in a manifest written beside the inbox.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from generator.defect_catalog import SPECS
from generator.defects import Context, Ledger, inject_rows
from generator.deliveries import Arrival, site_arrivals
from generator.formats import FileStyle, SiteStyles, site_styles
from generator.identities import IdentifierBook
from generator.inbox_writer import InboxWriter
from generator.incidents import Truncation, can_truncate, plan_resubmissions, truncate
from generator.manifest import build_manifest, manifest_path_for
from generator.population import SiteHistory, simulate_site
from generator.profiles import draw_profile
from generator.randomness import stream
from generator.referential import (
    Site,
    copies_per_site,
    extend_sites,
    load_sites,
    sites_csv,
)
from generator.tables import Table, national_tables, site_tables
from pipelines.contracts import SITE_EXPORTS
from pipelines.periods import Semester, semesters_between

FIRST_PERIOD = Semester(2016, 1)  # the pilot phase
UNRELATED_PER_SEMESTER = 600  # new incarcerations of people who never joined a workshop (scale 1)
WOMEN_SITES = 3  # sites with a women's quarter: many more women


@dataclass(frozen=True)
class GenerationSummary:
    """What was written: `files` counts delivery files (not sites.csv), `rows` their data rows."""

    inbox: Path
    manifest_path: Path
    files: int
    rows: int
    sites: int
    defects: int


@dataclass
class _Site:
    """One site's generated material."""

    site: Site
    history: SiteHistory
    styles: SiteStyles
    tables: list[Table]
    arrivals: dict[tuple[str, str], Arrival]


def generate_inbox(
    inbox: Path,
    *,
    seed: int = 2016,
    scale: float = 1.0,
    last_period: str = "2026-S1",
    sites: Sequence[str] | None = None,
) -> GenerationSummary:
    """Write the inbox and its manifest; same seed and scale give the same bytes and times.

    `sites` limits the generation to some site codes (of the scaled referential), for quick tests.
    """
    inbox = Path(inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    last = Semester.parse(last_period)
    extended = extend_sites(load_sites(), scale, seed, last)
    referential = _select(extended, sites, last)
    women = set(
        stream(seed, "women").sample(
            [s.code for s in extended], WOMEN_SITES * copies_per_site(scale)
        )
    )
    generated = _simulate(referential, seed, last, women)
    national = national_tables(
        [g.history for g in generated],
        semesters_between(FIRST_PERIOD, last),
        _unrelated(seed, scale, semesters_between(FIRST_PERIOD, last), generated),
    )
    ledger = Ledger()
    truncations = _truncate(generated, seed, scale, ledger)
    _inject(generated, seed, ledger, truncated={id(t.table) for t in truncations})
    resubmissions = plan_resubmissions(
        _delivered(generated), ledger, _count(2, scale), stream(seed, "resubmit")
    )
    writer = InboxWriter(inbox, seed, {id(t.table): t.cut_at for t in truncations}, ledger)
    for item in generated:
        writer.site(item.site, item.tables, item.styles, item.arrivals)
    for table in national:
        writer.national(table)
    resent = [(r, writer.resubmission(r, _style_of(generated, r.table))) for r in resubmissions]
    if scale != 1:
        (inbox / "sites.csv").write_bytes(sites_csv(referential))
    arrivals = {item.site.code: item.arrivals for item in generated}
    manifest = build_manifest(seed, scale, last, arrivals, ledger, writer, resent)
    path = manifest_path_for(inbox)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return GenerationSummary(
        inbox=inbox,
        manifest_path=path,
        files=writer.files,
        rows=writer.rows,
        sites=len(generated),
        defects=len(manifest["defects"]),
    )


def _select(referential: list[Site], codes: Sequence[str] | None, last: Semester) -> list[Site]:
    opened = [s for s in referential if s.opening <= last.end]
    if codes is None:
        return opened
    unknown = set(codes) - {s.code for s in referential}
    if unknown:
        raise ValueError(f"sites inconnus du référentiel : {', '.join(sorted(unknown))}")
    return [s for s in opened if s.code in set(codes)]


def _simulate(referential: list[Site], seed: int, last: Semester, women: set[str]) -> list[_Site]:
    """Each site from its own random streams: a site's data does not depend on the other sites."""
    book = IdentifierBook()
    out = []
    for site in referential:
        profile = draw_profile(site, stream(seed, "profile", site.code), site.code in women)
        history = simulate_site(
            site, profile, stream(seed, "simulation", site.code), last.end, book
        )
        periods = semesters_between(site.first_period(FIRST_PERIOD), site.last_period(last))
        tables = site_tables(history, periods, stream(seed, "rows", site.code))
        out.append(
            _Site(
                site,
                history,
                site_styles(seed, site.code, periods[0], periods[-1]),
                tables,
                site_arrivals(seed, site.code, periods),
            )
        )
    return out


def _unrelated(
    seed: int, scale: float, periods: list[Semester], generated: list[_Site]
) -> dict[str, list[tuple[str, date]]]:
    """Incarcerations of people who never joined a workshop, some of them several times."""
    book = IdentifierBook()
    for item in generated:
        for pathway in item.history.pathways:
            book.reserve(pathway.person.identifiant)
    rng, pool, out = stream(seed, "unrelated"), [], {}
    for period in periods:
        span = (period.end - period.start).days
        rows = []
        for _ in range(round(UNRELATED_PER_SEMESTER * scale)):
            identifier = rng.choice(pool) if pool and rng.random() < 0.15 else book.person(rng)
            pool.append(identifier)
            rows.append(
                (identifier, date.fromordinal(period.start.toordinal() + rng.randint(0, span)))
            )
        out[period.code] = rows
    return out


def _count(base: int, scale: float) -> int:
    return base * copies_per_site(scale)


def _delivered(generated: list[_Site]) -> list[tuple[Table, datetime]]:
    out = []
    for item in generated:
        for table in item.tables:
            arrival = item.arrivals[(table.kind, table.period.code)]
            if arrival.when is not None:
                out.append((table, arrival.when))
    return out


def _style_of(generated: list[_Site], table: Table) -> FileStyle:
    item = next(g for g in generated if g.site is table.site)
    return item.styles.at(table.period)


def _truncate(generated: list[_Site], seed: int, scale: float, ledger: Ledger) -> list[Truncation]:
    rng = stream(seed, "truncate")
    candidates = [
        (table, item)
        for item in generated
        for table in item.tables
        if item.arrivals[(table.kind, table.period.code)].when is not None
        and can_truncate(table, item.styles.at(table.period))
    ]
    chosen = rng.sample(candidates, min(_count(2, scale), len(candidates)))
    return [truncate(table, item.styles.at(table.period), rng, ledger) for table, item in chosen]


def _inject(generated: list[_Site], seed: int, ledger: Ledger, truncated: set[int]) -> None:
    """Row defects in delivered files; then follow-up rows kept only where they are lawful and checkable."""
    for item in generated:
        by_key = {(t.kind, t.period.code): t for t in item.tables}
        for kind in SITE_EXPORTS:
            if kind == "suivi":
                _keep_checkable_follow_up(item)
            for table in (t for t in item.tables if t.kind == kind):
                if item.arrivals[(kind, table.period.code)].when is None or id(table) in truncated:
                    continue
                ctx = Context(
                    table,
                    item.styles.at(table.period),
                    stream(seed, "defects", *table.key),
                    item.history,
                    by_key.get((kind, table.period.previous().code)),
                    by_key.get((kind, table.period.next().code)),
                    ledger.touched,
                )
                inject_rows(ctx, ledger, SPECS[kind])


def _keep_checkable_follow_up(item: _Site) -> None:
    """Drop follow-up rows whose release row with mesure_suivi = oui was never delivered.

    A site cannot be blamed for a privacy violation because its own parcours file is missing; so
    the inbox only holds follow-up rows the pipeline can check against a delivered parcours row.
    """
    delivered = {
        (row["identifiant"], row["date_sortie"])
        for table in item.tables
        if table.kind == "parcours"
        and item.arrivals[("parcours", table.period.code)].when is not None
        for row in table.rows
        if row.get("mesure_suivi") is True and row.get("date_sortie") is not None
    }
    for table in item.tables:
        if table.kind == "suivi":
            table.rows = [
                r for r in table.rows if (r["identifiant"], r["date_sortie"]) in delivered
            ]
