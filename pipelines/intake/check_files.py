"""`iae check`: a steward checks their own files before sending them, exactly as the pipeline would.

The files go through the real ingest (reading, typing, contract, cross-file rules) into an in-memory
warehouse that disappears at the end: nothing is stored, and the key is a throwaway one.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.ingest.inbox import InboxFile, observed, parse_name
from pipelines.ingest.plan import SUPERSEDED
from pipelines.intake.deliveries import IMMEDIATE, IngestContext, ingest
from pipelines.messages import ERROR, WARNING
from pipelines.referentials import load_referentials, read_sites, site_windows
from pipelines.settings import Safeguards
from pipelines.warehouse.landing import RegisterEntry
from pipelines.warehouse.schema import ensure_schema

SHOWN_PER_RULE = 5
PRIVACY_RULE = "suivi_sans_mesure"
PRIVACY_CAVEAT = "Aucun parcours de ce site avec mesure de suivi (mesure_suivi = oui) pour cette personne parmi les fichiers vérifiés."
PRIVACY_FIX = (
    "Joignez à la vérification le fichier parcours de ce site où elle figure avec mesure_suivi = oui "
    "(une mesure inscrite par un autre site ne suffit pas) ; sinon retirez la ligne : le suivi après "
    "la sortie n'est permis qu'avec une mesure de suivi."
)


@dataclass(frozen=True)
class FileReport:
    entry: RegisterEntry
    # fichier, ligne, gravite, regle, colonne, intitule, valeur, message, correction
    findings: pl.DataFrame
    # An earlier version of a file also checked: the one that replaces it when both are sent.
    replaced_by: str | None = None

    @property
    def quarantined(self) -> int:
        return self.findings.filter(pl.col("gravite") == ERROR)["ligne"].n_unique()

    @property
    def warnings(self) -> int:
        return self.findings.filter(pl.col("gravite") != ERROR).height

    @property
    def clean(self) -> bool:
        return self.entry.statut != "rejetee" and self.quarantined == 0

    @property
    def follow_up_in_doubt(self) -> bool:
        """A follow-up row whose measure the checked files do not show: not an error here (the
        measure may be in a file not given), but the run rejects the row if none is sent."""
        return bool(self.findings.filter(pl.col("regle") == PRIVACY_RULE).height)


def _caveat(findings: pl.DataFrame) -> pl.DataFrame:
    """Alone, a steward's files cannot prove the absence of a measure: ask, do not accuse."""
    privacy = pl.col("regle") == PRIVACY_RULE
    return findings.with_columns(
        pl.when(privacy).then(pl.lit(WARNING)).otherwise("gravite").alias("gravite"),
        pl.when(privacy).then(pl.lit(PRIVACY_CAVEAT)).otherwise("message").alias("message"),
        pl.when(privacy).then(pl.lit(PRIVACY_FIX)).otherwise("correction").alias("correction"),
    )


def check_files(
    paths: list[Path],
    today: date,
    sites_file_folder: Path | None = None,
    safeguards: Safeguards = IMMEDIATE,
) -> list[FileReport]:
    """Validate the files together (a `suivi` is checked against the `parcours` given with it).

    A steward's folder often holds a file and its corrected version (`_v2`): the run reads the
    latest only, so they are checked the same way first; each earlier version is then checked
    with the other files, and said to be replaced."""
    files = sorted((observed(p) for p in paths), key=lambda f: f.name)
    latest = _check_together(files, today, sites_file_folder, safeguards)
    reports = [r for r in latest if r.entry.statut != SUPERSEDED]
    newest = {_key(r.entry): r.entry.fichier for r in reports}
    older = {r.entry.fichier for r in latest if r.entry.statut == SUPERSEDED}
    while older:
        keys = {_key(r.entry) for r in latest if r.entry.fichier in older}
        batch = [f for f in files if f.name in older or newest.get(_file_key(f)) == f.name]
        batch = [f for f in batch if f.name in older or _file_key(f) not in keys]
        latest = _check_together(batch, today, sites_file_folder, safeguards)
        reports += [
            replace(r, replaced_by=newest[_key(r.entry)])
            for r in latest
            if r.entry.fichier in older and r.entry.statut != SUPERSEDED
        ]
        older = {r.entry.fichier for r in latest if r.entry.statut == SUPERSEDED}
    order = {f.name: i for i, f in enumerate(files)}
    return sorted(reports, key=lambda r: order.get(r.entry.fichier, len(order)))


def _key(entry: RegisterEntry) -> tuple[str | None, str | None, str | None]:
    return entry.code_site, entry.type_export, entry.periode


def _file_key(file: InboxFile) -> tuple[str | None, str | None, str | None]:
    name = parse_name(file.name)
    return (name.site, name.export_type, name.period) if name else (None, None, None)


def _check_together(
    files: list[InboxFile], today: date, sites_file_folder: Path | None, safeguards: Safeguards
) -> list[FileReport]:
    """The files through the real ingest, into an in-memory warehouse dropped afterwards."""
    with duckdb.connect(":memory:") as con:
        ensure_schema(con)
        load_referentials(con, read_sites(sites_file_folder))
        ctx = IngestContext(
            key=os.urandom(32),
            sites=site_windows(con),
            today=today,
            now=datetime.now(),
            run_id="verification",
            safeguards=safeguards,
        )
        with _quiet():
            summary = ingest(con, files, ctx)
        findings = _caveat(
            con.sql(
                "SELECT fichier, ligne, gravite, regle, colonne, intitule, valeur, message, correction FROM anomalies ORDER BY fichier, ligne, regle"
            ).pl()
        )
    return [
        FileReport(entry, findings.filter(pl.col("fichier") == entry.fichier))
        for entry in summary.entries
    ]


@contextmanager
def _quiet() -> Iterator[None]:
    """Without the ingest's progress and totals (unless `-v` asked for every detail): the check
    prints its own report, where a follow-up row in doubt is a warning, not a row the ingest's
    total counts in quarantine."""
    logger = logging.getLogger("iae")
    level = logger.level
    if logger.getEffectiveLevel() >= logging.INFO:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def render(report: FileReport, per_rule: int = SHOWN_PER_RULE) -> list[str]:
    """The lines a steward reads for one file (French, file, line, column, value, fix): the first
    `per_rule` rows of each rule, then how many more, so a huge file stays readable."""
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
        f"{entry.fichier} : {entry.lignes_recues} ligne(s) lue(s), {entry.lignes_recues - report.quarantined} acceptée(s), "
        f"{report.quarantined} en quarantaine, {report.warnings} avertissement(s)."
    ]
    if report.replaced_by:
        lines.append(
            f"  Version antérieure : si les deux sont envoyés, seul « {report.replaced_by} » "
            "(même site, même export, même semestre) est lu. N'envoyez que celui à retenir."
        )
    if entry.colonnes_supprimees:
        lines.append(
            f"  Colonnes non prévues, ignorées et non conservées : {', '.join(entry.colonnes_supprimees)}."
        )
    if entry.colonnes_absentes:
        lines.append(
            f"  Colonnes du modèle absentes, lues vides sur chaque ligne : {', '.join(entry.colonnes_absentes)}. "
            "Ajoutez celles que votre logiciel connaît (un intitulé non reconnu figure parmi les colonnes "
            "ignorées : renommez-le comme dans le modèle) ; sans elles, les indicateurs qui en dépendent "
            "restent incomplets."
        )
    for rows in report.findings.partition_by("regle", maintain_order=True):
        lines += [
            _finding_line(entry.fichier, f) for f in rows.head(per_rule).iter_rows(named=True)
        ]
        if rows.height > per_rule:
            lines.append(
                f"  … et {rows.height - per_rule} autre(s) ligne(s) avec le même problème et la "
                f"même correction : {_line_numbers(rows['ligne'][per_rule:])}."
            )
    return lines


def _line_numbers(lines: pl.Series, shown: int = 30) -> str:
    """« ligne 7 », « lignes 7, 8, 9 », the first `shown` of them, then how many more."""
    numbers = [str(n) for n in lines.unique(maintain_order=True).to_list()]
    more = f" et {len(numbers) - shown} autres" if len(numbers) > shown else ""
    return f"ligne{'s' if len(numbers) > 1 else ''} {', '.join(numbers[:shown])}{more}"


def _column(finding: dict) -> str:
    """The column as the file heads it, and as the contract names it when that differs; a heading
    told by its letter (it could hold a name) already says « colonne »."""
    name, heading = finding["colonne"], finding.get("intitule")
    if not heading:
        return f"colonne « {name} »"
    if heading.startswith("colonne "):
        return f"{heading.removesuffix(')')} ; {name})"
    return f"colonne {heading} ({name})"


def _finding_line(file_name: str, finding: dict) -> str:
    level = "ERREUR" if finding["gravite"] == ERROR else "AVERTISSEMENT"
    shown = finding["valeur"] and finding["valeur"] not in finding["message"]
    value = f" (valeur « {finding['valeur']} »)" if shown else ""
    where = f"ligne {finding['ligne']}" + (f", {_column(finding)}" if finding["colonne"] else "")
    return (
        f"  {level} {file_name}, {where}{value} : "
        f"{finding['message']} À faire : {finding['correction']}"
    )
