"""`iae check`: a steward checks their own files before sending them, exactly as the pipeline would.

The files go through the real ingest (reading, typing, contract, cross-file rules) into an in-memory
warehouse that disappears at the end: nothing is stored, and the key is a throwaway one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from pipelines.ingest.inbox import InboxFile
from pipelines.ingest.process import IngestContext, ingest
from pipelines.referentials import load_referentials, read_sites, site_windows
from pipelines.warehouse.landing import RegisterEntry
from pipelines.warehouse.schema import ensure_schema

PRIVACY_RULE = "suivi_sans_mesure"
PRIVACY_CAVEAT = "Aucun parcours avec mesure de suivi (mesure_suivi = oui) pour cette personne parmi les fichiers vérifiés."
PRIVACY_FIX = (
    "Joignez à la vérification le fichier parcours où elle figure avec mesure_suivi = oui ; sinon retirez "
    "la ligne : le suivi après la sortie n'est permis qu'avec une mesure de suivi."
)


@dataclass(frozen=True)
class FileReport:
    entry: RegisterEntry
    findings: list[dict]

    @property
    def quarantined(self) -> int:
        return len({f["ligne"] for f in self.findings if f["gravite"] == "erreur"})

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f["gravite"] != "erreur")

    @property
    def clean(self) -> bool:
        return self.entry.statut != "rejetee" and self.quarantined == 0


def _caveat(finding: dict) -> dict:
    """Alone, a steward's files cannot prove the absence of a measure: ask, do not accuse."""
    if finding["regle"] != PRIVACY_RULE:
        return finding
    return finding | {
        "gravite": "avertissement",
        "message": PRIVACY_CAVEAT,
        "correction": PRIVACY_FIX,
    }


def check_files(
    paths: list[Path], today: date, sites_file_folder: Path | None = None
) -> list[FileReport]:
    """Validate the files together (a `suivi` is checked against the `parcours` given with it)."""
    files = [
        InboxFile(p, datetime.fromtimestamp(p.stat().st_mtime, tz=UTC).replace(tzinfo=None))
        for p in paths
    ]
    with duckdb.connect(":memory:") as con:
        ensure_schema(con)
        load_referentials(con, read_sites(sites_file_folder))
        ctx = IngestContext(
            key=os.urandom(32),
            sites=site_windows(con),
            today=today,
            now=datetime.now(),
            run_id="verification",
        )
        summary = ingest(con, sorted(files, key=lambda f: f.name), ctx)
        findings = con.sql(
            "SELECT fichier, ligne, gravite, regle, colonne, valeur, message, correction FROM anomalies ORDER BY fichier, ligne, regle"
        ).pl()
    by_file = findings.partition_by("fichier", as_dict=True)
    return [
        FileReport(
            entry,
            [_caveat(f) for f in by_file[(entry.fichier,)].to_dicts()]
            if (entry.fichier,) in by_file
            else [],
        )
        for entry in summary.entries
    ]


def render(report: FileReport) -> list[str]:
    """The lines a steward reads for one file (French, file, line, column, value, fix)."""
    entry = report.entry
    if entry.statut == "rejetee":
        where = f", ligne {entry.ligne_rejet}" if entry.ligne_rejet else ""
        column = f", colonne « {entry.colonne_rejet} »" if entry.colonne_rejet else ""
        return [
            f"{entry.fichier}{where}{column} : FICHIER REFUSÉ — {entry.motif_rejet} À faire : {entry.correction_rejet}"
        ]
    if entry.statut == "doublon":
        return [f"{entry.fichier} : copie identique d'un fichier déjà vérifié, ignorée."]
    lines = [
        f"{entry.fichier} : {entry.lignes_recues} lignes lues, {entry.lignes_recues - report.quarantined} acceptées, "
        f"{report.quarantined} en quarantaine, {report.warnings} avertissement(s)."
    ]
    if entry.colonnes_supprimees:
        lines.append(
            f"  Colonnes non prévues, ignorées et non conservées : {', '.join(entry.colonnes_supprimees)}."
        )
    for finding in report.findings:
        level = "ERREUR" if finding["gravite"] == "erreur" else "AVERTISSEMENT"
        shown = finding["valeur"] and finding["valeur"] not in finding["message"]
        value = f" (valeur « {finding['valeur']} »)" if shown else ""
        lines.append(
            f"  {level} {entry.fichier}, ligne {finding['ligne']}, colonne « {finding['colonne']} »{value} : "
            f"{finding['message']} À faire : {finding['correction']}"
        )
    return lines
