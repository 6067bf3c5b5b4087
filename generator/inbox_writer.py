"""Write each delivery into the inbox with its arrival time, remembering where each row landed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from generator.defects import Ledger
from generator.deliveries import Arrival, national_arrival, set_arrival
from generator.formats import NATIONAL_STYLE, FileStyle, SiteStyles
from generator.incidents import Resubmission
from generator.randomness import stream
from generator.referential import Site
from generator.tables import Row, Table
from generator.writers import csv_bytes, header_and_keys, text_cells, write_xlsx
from pipelines.contracts import load_contract


def file_name(table: Table, style: FileStyle, suffix: str = "") -> str:
    site = table.site.code if table.site else "national"
    return f"{site}_{table.kind}_{table.period.code}{suffix}.{style.extension}"


class InboxWriter:
    """Writes files, stamps their arrival times, and remembers each row's line number."""

    def __init__(self, inbox: Path, seed: int, cuts: dict[int, int], ledger: Ledger) -> None:
        self.inbox, self.seed, self.cuts, self.ledger = inbox, seed, cuts, ledger
        self.files = 0
        self.rows = 0
        self.names: dict[int, str] = {}
        self.lines: dict[int, int] = {}
        self.late: list[dict[str, str]] = []

    def site(
        self,
        site: Site,
        tables: list[Table],
        styles: SiteStyles,
        arrivals: dict[tuple[str, str], Arrival],
    ) -> None:
        for table in tables:
            arrival = arrivals[(table.kind, table.period.code)]
            if arrival.when is None:
                continue
            style = styles.at(table.period)
            name = self._write(table, table.rows, style, arrival.when, "", self.cuts.get(id(table)))
            self.names[id(table)] = name
            for index, row in enumerate(table.rows):
                self.lines[id(row)] = style.first_data_line + index
            if arrival.late:
                self.late.append(
                    {
                        "site": site.code,
                        "type": table.kind,
                        "period": table.period.code,
                        "file": name,
                        "arrival": arrival.when.isoformat(),
                        "due": arrival.due.isoformat(),
                    }
                )

    def national(self, table: Table) -> None:
        self._write(
            table, table.rows, NATIONAL_STYLE, national_arrival(self.seed, table.period), "", None
        )

    def resubmission(self, item: Resubmission, style: FileStyle) -> str:
        """The same bytes again, or the clean version of a faulty file; returns the new name."""
        if not item.identical:
            rows = self.ledger.clean_rows(item.table)
            return self._write(item.table, rows, style, item.arrival, item.suffix, None)
        name = file_name(item.table, style, item.suffix)
        (self.inbox / name).write_bytes((self.inbox / self.names[id(item.table)]).read_bytes())
        set_arrival(self.inbox / name, item.arrival)
        self.files += 1
        self.rows += len(item.table.rows)
        return name

    def _write(
        self,
        table: Table,
        rows: list[Row],
        style: FileStyle,
        when: datetime,
        suffix: str,
        cut_at: int | None,
    ) -> str:
        name = file_name(table, style, suffix)
        path = self.inbox / name
        contract = load_contract(table.kind)
        remarks = stream(self.seed, "remarks", *table.key)
        if style.fmt == "xlsx":
            site = table.site.code if table.site else "national"
            write_xlsx(
                path,
                rows,
                contract,
                style,
                title=f"Export IAE - {site} - {table.period.code}",
                created=when,
                rng=remarks,
            )
        else:
            header, _ = header_and_keys(contract, style)
            path.write_bytes(
                csv_bytes(header, text_cells(rows, contract, style, remarks), style, cut_at)
            )
        set_arrival(path, when)
        self.files += 1
        self.rows += len(rows)
        return name
