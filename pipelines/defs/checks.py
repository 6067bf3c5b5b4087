"""Per-site contract checks on `livraisons_sites`: the Dagster UI shows which site fails which rule.

A multi-site ingest validates all sites in one batch and logs one evaluation per site and contract;
run on its own from the UI, a check reads the same state from the warehouse for its site.
"""

import dagster as dg

from pipelines.contracts import SITE_EXPORTS
from pipelines.defs.partitions import SITES
from pipelines.defs.resources import WarehouseResource
from pipelines.validation.site_checks import SiteCheck, check_name, site_checks

SITE_DELIVERIES = dg.AssetKey("livraisons_sites")


def _metadata(check: SiteCheck) -> dict[str, dg.MetadataValue]:
    lines = ["| règle | gravité | occurrences | périodes |", "|---|---|---|---|"]
    lines += [
        f"| {r['regle']} | {r['gravite']} | {r['occurrences']} | {', '.join(r['periodes'])} |"
        for r in [*check.blocking, *check.warnings]
    ]
    return {
        "resume": dg.MetadataValue.text(check.summary()),
        "regles": dg.MetadataValue.md("\n".join(lines)),
    }


def evaluation(check: SiteCheck) -> dg.AssetCheckEvaluation:
    return dg.AssetCheckEvaluation(
        asset_key=SITE_DELIVERIES,
        check_name=check_name(check.export_type),
        passed=check.passed,
        partition=check.site,
        metadata=_metadata(check),
        severity=dg.AssetCheckSeverity.ERROR,
    )


def _contract_check(export_type: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=SITE_DELIVERIES,
        name=check_name(export_type),
        partitions_def=SITES,
        description=f"Contrat « {export_type} » : aucune ligne en quarantaine et aucun fichier refusé pour ce site.",
    )
    def _check(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as con:
            (check,) = [
                c for c in site_checks(con, [context.partition_key]) if c.export_type == export_type
            ]
        return dg.AssetCheckResult(passed=check.passed, metadata=_metadata(check))

    return _check


contract_checks = [_contract_check(t) for t in SITE_EXPORTS]
