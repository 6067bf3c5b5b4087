"""One delivery file, from bytes to typed, pseudonymised rows with their lineage.

Only the columns the contract names survive this step; the others (names, comments…) are counted
and named in the delivery register, and their values are dropped here, before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from pipelines.codes import Codes
from pipelines.contracts import Contract
from pipelines.ingest.coercion import coerce
from pipelines.ingest.inbox import InboxFile
from pipelines.ingest.pseudonymise import pseudonymise
from pipelines.ingest.readers import read_table
from pipelines.messages import reject
from pipelines.periods import Semester


@dataclass(frozen=True)
class Delivery:
    """A file to process, with what its name says it delivers."""

    file: InboxFile
    sha256: str
    site: str | None
    export_type: str | None
    period: str | None


@dataclass(frozen=True)
class SiteWindow:
    """When a site's workshop was open: deliveries outside it are refused."""

    opened: date
    closed: date | None


@dataclass(frozen=True)
class PreparedFile:
    delivery: Delivery
    frame: pl.DataFrame
    type_failures: pl.DataFrame
    dropped_columns: tuple[str, ...]
    missing_columns: tuple[str, ...]
    encoding: str | None
    delimiter: str | None

    @property
    def rows_received(self) -> int:
        return self.frame.height


def check_period(delivery: Delivery, window: SiteWindow | None, today: date) -> Semester:
    """The delivered semester, if it is over and the site was open during it."""
    semester = Semester.parse(delivery.period)
    if semester.end >= today:
        raise reject("periode_future", detail=semester.code)
    if window and (
        semester.end < window.opened or (window.closed and semester.start > window.closed)
    ):
        raise reject("site_ferme", detail=semester.code)
    return semester


def prepare(
    delivery: Delivery, contract: Contract, codes: Codes, key: bytes, window: SiteWindow | None
) -> PreparedFile:
    table = read_table(delivery.file.path, contract.header_lookup(), contract.required_columns)
    if table.frame.height < contract.min_rows:
        raise reject("aucune_ligne")
    text = table.frame.with_columns(
        pseudonymise(table.frame[c], key)
        for c in contract.pseudonymised_columns
        if c in table.frame.columns
    )
    typed, failures = coerce(text, contract, codes)
    semester = Semester.parse(delivery.period)
    lineage = typed.with_columns(
        pl.lit(delivery.site).alias("code_site"),
        pl.lit(delivery.period).alias("periode"),
        pl.lit(delivery.file.name).alias("fichier_source"),
        pl.lit(delivery.sha256).alias("sha256_fichier"),
        pl.lit(semester.start).alias("debut_periode"),
        pl.lit(semester.end).alias("fin_periode"),
        pl.lit(window.opened if window else None, pl.Date).alias("date_ouverture_site"),
    )
    return PreparedFile(
        delivery=delivery,
        frame=lineage,
        type_failures=failures,
        dropped_columns=table.dropped_columns,
        missing_columns=table.missing_columns,
        encoding=table.encoding,
        delimiter=table.delimiter,
    )
