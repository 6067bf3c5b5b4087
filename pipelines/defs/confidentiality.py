"""Statistical confidentiality as an asset: the figures every publication prints, protected once
for all of them (packs, national report, dashboard), and the audit of what a reader holding all
of them could deduce about a hidden count.

The audit is a warning, not a blocking check, while linked suppression stops after a few rounds:
it measures what readers combining several relations can still narrow down (docs/publication.md,
« Limites connues »), run after run, instead of stopping every publication."""

import time

import dagster as dg
import polars as pl

from pipelines.defs.resources import WAREHOUSE_POOL, SettingsParam, WarehouseResource
from pipelines.defs.warehouse import INDICATORS
from pipelines.stages import timed
from reports.disclosure_audit import Audit, audit
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


def _partial_years(result: Audit, coverage: pl.DataFrame) -> str | None:
    """The pinned counts that fall in a year a site delivered only part of, or in a semester it
    delivered of such a year, and the files whose arrival would close that way in."""
    partial = coverage.filter(pl.col("une_partie") & ~pl.col("toutes"))
    exposed = {*partial["periode"], *partial["semestres_livres"].explode()}
    within = [d.cle[2] for d in result.disclosures if d.cle[2] in exposed]
    if not within:
        return None
    missing = partial.filter(pl.col("periode").is_in({p[:4] for p in within})).explode(
        "semestres_manquants"
    )
    files = [
        f"{site} ({semester})"
        for site, semester in zip(
            missing["libelle_site"], missing["semestres_manquants"], strict=True
        )
    ]
    return (
        f"Dont {len(within)} dans une année qu'un site n'a livrée qu'en partie : les chiffres de "
        "l'année ne le comptent pas, ceux de ses semestres livrés si, et la différence se lit. "
        f"Le fichier des parcours manquant, une fois reçu, supprime cette différence : {', '.join(files)}."
    )


def describe_audit(result: Audit, zones: pl.DataFrame, coverage: pl.DataFrame) -> str:
    """What the audit found, for the operator and the project team (French); `zones` gives the
    department of each site and department (sql/reports/departements_des_zones.sql), `coverage`
    which sites each year covers (sql/reports/couverture_annees.sql)."""
    if not result.disclosures and not result.unproven:
        return (
            f"Aucun des {result.examined} effectifs masqués liés à un chiffre publié ne peut être "
            "retrouvé ni encadré de trop près à partir de l'ensemble des publications."
        )
    lines = [
        f"{len(result.disclosures)} effectif(s) masqué(s) qu'un lecteur de toutes les publications "
        f"peut retrouver ou encadrer de trop près, {len(result.unproven)} dont la protection n'a "
        f"pas pu être prouvée, sur {result.examined} examinés. N'abaissez pas les seuils et ne "
        "corrigez pas les livraisons : transmettez ce message à l'équipe du projet."
    ]
    if partial_years := _partial_years(result, coverage):
        lines.append(partial_years)
    if departments := _departments(result, zones):
        lines.append(f"Dossiers départementaux à relire avant envoi : {', '.join(departments)}.")
    for d in result.disclosures[:DISCLOSURES_SHOWN]:
        maille, zone, periode, indicateur = d.cle
        lines.append(
            f"- {indicateur}, {maille} {zone}, {periode} : entre {round(d.minimum)} et "
            f"{round(d.maximum)} "
            f"(relation {d.relation})"
        )
    return "\n".join(lines)


@dg.asset_check(
    asset=chiffres_diffuses,
    pool=WAREHOUSE_POOL,
    description="Ce qu'un lecteur de l'ensemble des publications peut déduire des effectifs "
    "masqués (programmation linéaire sur les relations) ; avertissement, non bloquant.",
)
def audit_secret_statistique(
    settings: SettingsParam, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    started = time.perf_counter()
    with warehouse.connect(read_only=True) as con:
        cells = query(con, "cellules_secret")
        relations = read_together(query(con, "relations_additives"))
        zones = query(con, "departements_des_zones")
        coverage = query(con, "couverture_annees")
    result = audit(cells, relations, KEY, settings.thresholds.min_count)
    return dg.AssetCheckResult(
        passed=not result.disclosures and not result.unproven,
        severity=dg.AssetCheckSeverity.WARN,
        description=describe_audit(result, zones, coverage),
        metadata={
            "effectifs_examines": result.examined,
            "effectifs_retrouvables": len(result.disclosures),
            "effectifs_non_prouves": len(result.unproven),
            "duree_s": round(time.perf_counter() - started, 1),
        },
    )


confidentiality_checks = [audit_secret_statistique]


defs = dg.Definitions(assets=[chiffres_diffuses], asset_checks=confidentiality_checks)
