"""Statistical confidentiality as an asset: the figures every publication prints, protected once
for all of them (packs, national report, dashboard), and the audit of what a reader holding all
of them could deduce about a hidden count.

The audit is a blocking check, run again before every publication (publication.BEFORE_PUBLISHING):
no pack, report or dashboard is published while a reader of all of them could pin a hidden count.
A state of the figures already audited is read back from the warehouse (audits_secret) rather
than audited again."""

import hashlib
import time
from datetime import datetime

import dagster as dg
import duckdb
import polars as pl

from pipelines.defs.resources import WAREHOUSE_POOL, SettingsParam, WarehouseResource
from pipelines.defs.warehouse import INDICATORS
from pipelines.stages import timed
from reports.disclosure_audit import Audit, audit, given_back_alone
from reports.linked_relations import read_together
from reports.packs.figures import KEY, write_published_figures
from reports.packs.queries import query

DISCLOSURES_SHOWN = 10


@dg.asset(group_name="secret", deps=[INDICATORS], pool=WAREHOUSE_POOL)
@timed("secret statistique")
def chiffres_diffuses(
    settings: SettingsParam, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Every indicator as the publications print it, after primary and secondary suppression,
    and the counts the audit reads."""
    with warehouse.connect() as con:
        protected = write_published_figures(con, settings.thresholds)
    figures, cells = protected.figures, protected.cells
    return dg.MaterializeResult(
        metadata={
            "chiffres": figures.height,
            "chiffres_masques": int(figures["supprime"].sum()),
            "effectifs_masques": int(cells["cache"].sum()),
        }
    )


def _departments(result: Audit, zones: pl.DataFrame) -> list[str]:
    """The departments whose packs hold a count the audit found pinned or could not prove."""
    keys = [d.cle for d in result.disclosures] + result.unproven
    found = pl.DataFrame(
        [k[:2] for k in keys], schema={"maille": pl.String, "code_zone": pl.String}, orient="row"
    )
    return (
        found.join(zones, on=["maille", "code_zone"])["code_departement"].unique().sort().to_list()
    )


def describe_audit(result: Audit, zones: pl.DataFrame) -> str:
    """What the audit found, for the operator and the project team (French); `zones` gives the
    department of each site and department (sql/reports/departements_des_zones.sql)."""
    if not result.disclosures and not result.unproven:
        return (
            f"Aucun des {result.examined} effectifs masqués liés à un chiffre publié ne peut être "
            "retrouvé ni encadré de trop près à partir de l'ensemble des publications."
        )
    lines = [
        f"Publication arrêtée : {len(result.disclosures)} effectif(s) masqué(s) qu'un lecteur de "
        f"toutes les publications peut retrouver ou encadrer de trop près, "
        f"{len(result.unproven)} dont la protection n'a pas pu être prouvée, sur "
        f"{result.examined} examinés. Les publications précédentes restent en place. "
        "N'abaissez pas les seuils et ne corrigez pas les livraisons : transmettez ce message à "
        "l'équipe du projet."
    ]
    if departments := _departments(result, zones):
        lines.append(f"Dossiers départementaux concernés : {', '.join(departments)}.")
    for d in result.disclosures[:DISCLOSURES_SHOWN]:
        maille, zone, periode, indicateur = d.cle
        lines.append(
            f"- {indicateur}, {maille} {zone}, {periode} : entre {round(d.minimum)} et "
            f"{round(d.maximum)} "
            f"(relation {d.relation})"
        )
    return "\n".join(lines)


def _fingerprint(cells: pl.DataFrame, relations: pl.DataFrame) -> str:
    """What the audit reads, as one string: the same figures and relations give the same one."""
    digest = hashlib.sha256()
    for frame in (cells, relations):
        digest.update(frame.sort(frame.columns).write_csv().encode())
    return digest.hexdigest()


def audit_figures(con: duckdb.DuckDBPyConnection, min_count: int) -> dict[str, object]:
    """The audit of the figures in the warehouse: read back when this state was audited before."""
    cells = query(con, "cellules_secret")
    relations = query(con, "relations_additives")
    key = _fingerprint(cells, relations)
    stored = con.sql("SELECT * FROM audits_secret WHERE empreinte = ?", params=[key]).pl()
    if stored.height:
        return stored.row(0, named=True)
    started = time.perf_counter()
    together = audit(cells, read_together(relations), KEY, min_count)
    apart = given_back_alone(cells, relations, KEY)
    result = Audit([*together.disclosures, *apart], together.unproven, together.examined)
    row = {
        "empreinte": key,
        "passe": not result.disclosures and not result.unproven,
        "description": describe_audit(result, query(con, "departements_des_zones")),
        "examines": result.examined,
        "retrouvables": len(result.disclosures),
        "non_prouves": len(result.unproven),
        "duree_s": round(time.perf_counter() - started, 1),
        "date_audit": datetime.now(),
    }
    con.execute(
        f"INSERT OR REPLACE INTO audits_secret VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )
    return row


@dg.asset_check(
    asset=chiffres_diffuses,
    pool=WAREHOUSE_POOL,
    blocking=True,
    description="Ce qu'un lecteur de l'ensemble des publications peut déduire des effectifs "
    "masqués (programmation linéaire sur les relations) ; bloquant : rien n'est publié tant "
    "qu'un effectif masqué peut être retrouvé.",
)
def audit_secret_statistique(
    settings: SettingsParam, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        found = audit_figures(con, settings.thresholds.min_count)
    return dg.AssetCheckResult(
        passed=bool(found["passe"]),
        severity=dg.AssetCheckSeverity.ERROR,
        description=str(found["description"]),
        metadata={
            "effectifs_examines": found["examines"],
            "effectifs_retrouvables": found["retrouvables"],
            "effectifs_non_prouves": found["non_prouves"],
            "duree_s": found["duree_s"],
            "date_audit": str(found["date_audit"]),
        },
    )


confidentiality_checks = [audit_secret_statistique]


defs = dg.Definitions(assets=[chiffres_diffuses], asset_checks=confidentiality_checks)
