"""A pack's dataset: every figure the pack shows, after confidentiality, and what it states.

Built from the warehouse once per period type (`load_sources`), then cut per pack; rendering
reads nothing else. The fingerprint of a dataset tells whether a published pack is out of date.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

import duckdb
import polars as pl

from pipelines.catalog import load_catalog
from pipelines.codes import delivery_statuses
from pipelines.contracts import contracts_version
from pipelines.periods import Semester
from pipelines.settings import Thresholds
from reports.confidentiality import small_count_hidden
from reports.packs.figures import KEY, published_figures
from reports.packs.frozen import reconcile
from reports.packs.queries import query

DEPARTMENT = "departement"
DISP = "disp"
NATIONAL = "nation"
SEMESTER = "semestre"
YEAR = "annee"
ROW_COUNTS = ("lignes_recues", "lignes_acceptees", "lignes_quarantaine")


@dataclass(frozen=True)
class Edition:
    """What every output states (docs/publication.md): how far the data go, which contracts, which run."""

    data_until: date
    reincarcerations_until: date | None
    contracts_version: str
    catalog_version: str
    run_id: str
    generated_at: datetime

    def stable(self) -> dict[str, str]:
        """The part that changes the content (not the run that happens to render it)."""
        return {
            "donnees": self.data_until.isoformat(),
            "reincarcerations": str(self.reincarcerations_until),
            "contrats": self.contracts_version,
            "catalogue": self.catalog_version,
        }


@dataclass(frozen=True)
class Sources:
    """What every pack of one period type reads, loaded and protected once."""

    figures: pl.DataFrame
    revisions: pl.DataFrame
    deliveries: pl.DataFrame
    edition: Edition
    thresholds: Thresholds
    # Which sites each year's figures cover (sql/reports/couverture_annees.sql).
    years_coverage: pl.DataFrame


@dataclass(frozen=True)
class YearCoverage:
    """Which sites a year's figures cover (docs/publication.md): those that delivered the
    pathway file of every semester of the year they owed one for. A site that delivered some of
    them counts in those semesters' figures only, so the year is not the sum of its semesters."""

    owing: int
    complete: int
    partial: tuple[str, ...]
    absent: tuple[str, ...]


def year_coverage(sites: pl.DataFrame) -> YearCoverage:
    """The coverage of a year from its sites' (sql/reports/couverture_annees.sql)."""
    partial = sites.filter(pl.col("une_partie") & ~pl.col("toutes"))["libelle_site"]
    absent = sites.filter(~pl.col("une_partie"))["libelle_site"]
    return YearCoverage(
        owing=sites.height,
        complete=sites.filter(pl.col("toutes")).height,
        partial=tuple(partial.sort().to_list()),
        absent=tuple(absent.sort().to_list()),
    )


@dataclass(frozen=True)
class PackDataset:
    """One pack's figures (long frame, see figures.COLUMNS) and deliveries, and its edition."""

    kind: str
    zone: str
    label: str
    period: str
    figures: pl.DataFrame
    revisions: pl.DataFrame
    deliveries: pl.DataFrame
    due_dates: tuple[date, ...]
    edition: Edition
    thresholds: Thresholds
    # A second semester's pack also reviews the year: the department's, its DISP's and France's
    # figures of the year and the year before (same columns as `figures`).
    review: pl.DataFrame | None = None
    # Which sites a year's figures cover: the national report's year, a second semester's review.
    coverage: YearCoverage | None = None

    def fingerprint(self) -> str:
        """Changes exactly when something the pack shows changes."""
        digest = hashlib.sha256()
        head = {
            "type": self.kind,
            "zone": self.zone,
            "libelle": self.label,
            "periode": self.period,
            "seuils": [self.thresholds.min_count, self.thresholds.min_denominator],
            "echeances": [d.isoformat() for d in self.due_dates],
            "couverture": asdict(self.coverage) if self.coverage else None,
            **self.edition.stable(),
        }
        digest.update(json.dumps(head, sort_keys=True).encode())
        for frame in (self.figures, self.review, self.revisions):
            if frame is not None:
                digest.update(_stable_csv(frame.sort(KEY)))
        digest.update(_stable_csv(self.deliveries))
        return digest.hexdigest()

    def own_fingerprint(self) -> str:
        """The same, leaving out the DISP's and national figures: changes when this
        department's own do."""
        own = ~pl.col("maille").is_in([DISP, NATIONAL])
        return replace(
            self,
            figures=self.figures.filter(own),
            review=None if self.review is None else self.review.filter(own),
            revisions=self.revisions.filter(own),
        ).fingerprint()

    def disp(self) -> tuple[str, str]:
        """The code and name of the department's DISP (its figures are in the pack)."""
        rows = self.figures.filter(pl.col("maille") == DISP).select("code_zone", "libelle_zone")
        return rows.row(0) if rows.height else ("", "DISP")

    def reviewed_years(self) -> tuple[str, str]:
        """The year a second semester's pack reviews, and the year before."""
        year = Semester.parse(self.period).year
        return str(year), str(year - 1)

    def shown(self) -> pl.DataFrame:
        """Every figure the pack prints (its semesters, and the year it reviews)."""
        return self.figures if self.review is None else pl.concat([self.figures, self.review])


def _stable_csv(frame: pl.DataFrame) -> bytes:
    """The frame as text, floats to 12 significant digits: the same figure computed in another
    order (4.800000000000001 for 4.8) must not call for a new pack."""
    return frame.with_columns(pl.col(pl.Float64).round_sig_figs(12)).write_csv().encode()


def _edition(con: duckdb.DuckDBPyConnection, run_id: str, now: datetime) -> Edition:
    row = query(con, "edition").row(0, named=True)
    return Edition(
        data_until=row["date_reference_donnees"],
        reincarcerations_until=row["date_reference_reincarcerations"],
        contracts_version=contracts_version(),
        catalog_version=load_catalog().version,
        run_id=run_id,
        generated_at=now,
    )


def load_sources(
    con: duckdb.DuckDBPyConnection,
    period_type: str,
    edition: str,
    thresholds: Thresholds,
    run_id: str,
    now: datetime,
) -> Sources:
    """Protected figures of `period_type` (frozen where already published), their revisions for
    the packs of `edition` (the semester or year they are for), every owed delivery, the edition."""
    live = published_figures(con).filter(pl.col("type_periode") == period_type)
    figures, revisions = reconcile(con, live, period_type, edition)
    return Sources(
        figures=figures,
        revisions=revisions,
        deliveries=query(con, "livraisons"),
        edition=_edition(con, run_id, now),
        thresholds=thresholds,
        years_coverage=query(con, "couverture_annees"),
    )


def departments(sources: Sources, semester: str) -> list[str]:
    """Departments with at least one site open in the semester (they have figures for it)."""
    rows = sources.figures.filter(
        (pl.col("maille") == DEPARTMENT) & (pl.col("periode") == semester)
    )
    return sorted(rows["code_zone"].unique().to_list())


def departmental_dataset(sources: Sources, department: str, semester: str) -> PackDataset:
    """The department, its sites, its DISP (which co-chairs the COPIL) and the nation, every
    semester up to `semester` it has data for."""
    figures = sources.figures.filter(pl.col("periode") <= semester)
    own = figures.filter(
        ((pl.col("maille") == DEPARTMENT) & (pl.col("code_zone") == department))
        | ((pl.col("maille") == "site") & (pl.col("code_departement") == department))
    )
    periods = own.filter(pl.col("maille") == DEPARTMENT)["periode"].unique()
    disp = own.filter(pl.col("maille") == DEPARTMENT)["code_disp"].drop_nulls().first()
    nation = figures.filter(
        (
            (pl.col("maille") == NATIONAL)
            | ((pl.col("maille") == DISP) & (pl.col("code_zone") == disp))
        )
        & pl.col("periode").is_in(periods)
    )
    label = own.filter(pl.col("maille") == DEPARTMENT)["libelle_zone"][0]
    deliveries = sources.deliveries.filter(
        (pl.col("code_departement") == department) & (pl.col("periode") == semester)
    ).with_columns(small_count_hidden(c, sources.thresholds) for c in ROW_COUNTS)
    return PackDataset(
        kind=DEPARTMENT,
        zone=department,
        label=label,
        period=semester,
        figures=pl.concat([own, nation]),
        revisions=_revisions_of(sources, pl.concat([own, nation])),
        deliveries=deliveries,
        due_dates=_due_dates(deliveries),
        edition=sources.edition,
        thresholds=sources.thresholds,
    )


def with_review(dataset: PackDataset, year: Sources) -> PackDataset:
    """A second semester's pack with the review of its year: the department, its DISP and
    France, the year and the one before, and their revisions."""
    disp, _ = dataset.disp()
    review = year.figures.filter(
        pl.col("periode").is_in(dataset.reviewed_years())
        & (
            ((pl.col("maille") == DEPARTMENT) & (pl.col("code_zone") == dataset.zone))
            | ((pl.col("maille") == DISP) & (pl.col("code_zone") == disp))
            | (pl.col("maille") == NATIONAL)
        )
    )
    revisions = pl.concat([dataset.revisions, _revisions_of(year, review)])
    sites = year.years_coverage.filter(
        (pl.col("periode") == dataset.reviewed_years()[0])
        & (pl.col("code_departement") == dataset.zone)
    )
    return replace(dataset, review=review, revisions=revisions, coverage=year_coverage(sites))


def national_dataset(sources: Sources, year: str) -> PackDataset:
    """Every zone, every year up to `year`; the year's deliveries summed by department."""
    deliveries = sources.deliveries.filter(pl.col("periode").str.starts_with(f"{year}-"))
    return PackDataset(
        kind=NATIONAL,
        zone="FR",
        label="France",
        period=year,
        figures=sources.figures.filter(pl.col("periode") <= year),
        revisions=_revisions_of(sources, sources.figures.filter(pl.col("periode") <= year)),
        deliveries=deliveries_by_department(deliveries, sources.thresholds),
        due_dates=_due_dates(deliveries),
        coverage=year_coverage(sources.years_coverage.filter(pl.col("periode") == year)),
        edition=sources.edition,
        thresholds=sources.thresholds,
    )


def _revisions_of(sources: Sources, figures: pl.DataFrame) -> pl.DataFrame:
    """The revisions of the figures a pack shows."""
    return sources.revisions.join(figures.select(KEY), on=KEY, how="semi")


def _due_dates(deliveries: pl.DataFrame) -> tuple[date, ...]:
    return tuple(sorted(deliveries["date_echeance"].unique().to_list()))


def deliveries_by_department(deliveries: pl.DataFrame, thresholds: Thresholds) -> pl.DataFrame:
    """Owed deliveries by department: how many, how many in each status, rows quarantined."""
    return (
        deliveries.group_by("code_departement")
        .agg(
            pl.len().alias("attendues"),
            *((pl.col("statut") == s.code).sum().alias(s.code) for s in delivery_statuses()),
            pl.col("fichiers_rejetes").sum(),
            pl.col("lignes_quarantaine").sum(),
        )
        .with_columns(small_count_hidden("lignes_quarantaine", thresholds))
        .sort("code_departement")
    )
