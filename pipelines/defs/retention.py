"""The monthly purge of person-level rows past retention (`iae purger`), as a Dagster job."""

from pathlib import Path

import dagster as dg
import duckdb

from pipelines.defs.resources import SettingsParam, WarehouseResource
from pipelines.warehouse.backup import save_backup
from pipelines.warehouse.models import build_all
from pipelines.warehouse.quality import build_quality_tables
from pipelines.warehouse.retention import PURGED, purge, retention_limit


class PurgeConfig(dg.Config):
    simulation: bool = False


@dg.op(pool="entrepot_duckdb")
def purger_donnees_personnelles(
    context: dg.OpExecutionContext,
    config: PurgeConfig,
    settings: SettingsParam,
    warehouse: WarehouseResource,
) -> dg.Output[dict[str, int]]:
    """Delete (or, in simulation, count) every person-level row past retention, then rebuild and compact."""
    limit = retention_limit(settings.today, settings.retention_months)

    def rebuild(con: duckdb.DuckDBPyConnection) -> None:
        build_all(con, settings.annual_full_time_hours)
        build_quality_tables(con, settings)

    report = purge(Path(warehouse.path), limit, simulate=config.simulation, rebuild=rebuild)
    if not report.simulated:
        save_backup(Path(warehouse.path))  # a rebuild must purge the same rows again
    verb = "à supprimer" if report.simulated else "supprimées"
    context.log.info(f"Lignes {verb} (fin avant le {limit:%d/%m/%Y}) : {report.rows}")
    metadata = {f"lignes_{name}": report.rows[name] for name in PURGED}
    return dg.Output(
        report.rows,
        metadata={"date_limite": str(limit), "simulation": report.simulated, **metadata},
    )


@dg.job(description="Purge mensuelle des données personnelles au-delà de la durée de conservation.")
def purge_mensuelle() -> None:
    purger_donnees_personnelles()


purge_schedule = dg.ScheduleDefinition(
    name="purge_mensuelle_le_1er",
    job=purge_mensuelle,
    cron_schedule="0 3 1 * *",
    execution_timezone="Europe/Paris",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Le 1er de chaque mois à 3 h.",
)


defs = dg.Definitions(jobs=[purge_mensuelle], schedules=[purge_schedule])
