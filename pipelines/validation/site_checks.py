"""Per-site contract checks for Dagster: which site fails which rule, from the warehouse's state."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipelines.contracts import SITE_EXPORTS


def check_name(export_type: str) -> str:
    return f"contrat_{export_type}"


@dataclass(frozen=True)
class SiteCheck:
    site: str
    export_type: str
    blocking: list[dict]
    warnings: list[dict]

    @property
    def passed(self) -> bool:
        return not self.blocking

    def summary(self) -> str:
        if self.passed:
            return f"Aucune ligne en quarantaine, aucun fichier refusé ({len(self.warnings)} règle(s) en avertissement)."
        parts = [
            f"{r['regle']} ({r['occurrences']}, {', '.join(r['periodes'])})" for r in self.blocking
        ]
        return "En échec : " + " ; ".join(parts)


def site_checks(con: duckdb.DuckDBPyConnection, sites: list[str]) -> list[SiteCheck]:
    """One check per site and site-level export type, passed unless rows are quarantined or a file refused."""
    rows = (
        con.sql(
            "SELECT * FROM controles_sites WHERE list_contains(?, code_site) ORDER BY code_site, type_export, regle",
            params=[sites],
        )
        .pl()
        .to_dicts()
    )
    checks = []
    for site in sites:
        for export_type in SITE_EXPORTS:
            mine = [r for r in rows if r["code_site"] == site and r["type_export"] == export_type]
            checks.append(
                SiteCheck(
                    site=site,
                    export_type=export_type,
                    blocking=[r for r in mine if r["gravite"] != "avertissement"],
                    warnings=[r for r in mine if r["gravite"] == "avertissement"],
                )
            )
    return checks
