"""The inbox sensor, which registers new sites as partitions and runs the chain for sites whose
files changed; then, run after run: the department's pack, then the national diffusion."""

import hashlib
import json
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.defs.jobs import chaine_complete, chaine_nationale, diffusion_nationale, jobs_before
from pipelines.defs.partitions import SITES
from pipelines.defs.publication import dossiers_copil
from pipelines.defs.resources import SettingsParam, WarehouseResource
from pipelines.ingest.inbox import NATIONAL, InboxFile, partition_of, scan
from pipelines.referentials import site_codes
from pipelines.warehouse.connection import connect
from reports.packs.publish import latest_periods

# Refresh the department whose figures changed now; the others (national comparison only) wait
# for the scheduled run.
ONLY_CHANGED_DEPARTMENTS = {
    "ops": {"dossiers_copil_departementaux": {"config": {"departements_modifies_seulement": True}}}
}


def inbox_state(files: list[InboxFile]) -> dict[str, str]:
    """File → modification time and size: cheap to compute every tick, changes when a file does."""
    return {str(f.path): f"{f.path.stat().st_mtime_ns}:{f.path.stat().st_size}" for f in files}


def changed_sites(
    files: list[InboxFile], before: dict[str, str], sites: frozenset[str]
) -> dict[str, str]:
    """Site (or `national`) → fingerprint of its files, for sites with a new or changed file."""
    now = inbox_state(files)
    by_site: dict[str, list[str]] = {}
    for file in files:
        by_site.setdefault(partition_of(file, sites), []).append(
            f"{file.path}={now[str(file.path)]}"
        )
    changed = {partition_of(f, sites) for f in files if before.get(str(f.path)) != now[str(f.path)]}
    return {
        site: hashlib.sha256("|".join(sorted(by_site[site])).encode()).hexdigest()[:16]
        for site in changed
    }


def already_read(files: list[InboxFile], warehouse: Path) -> dict[str, str]:
    """Inbox state of the files the warehouse has registered (same name, same content): with no
    cursor yet (a Dagster home opened beside a warehouse built by `iae run`), the sensor starts from
    them instead of running every site again. Raises duckdb.Error while a run writes the file."""
    if not warehouse.exists():
        return {}
    with connect(warehouse, read_only=True) as con:
        registered = set(con.sql("SELECT fichier, sha256 FROM livraisons").fetchall())
    names = {name for name, _ in registered}
    state = inbox_state(files)
    return {
        str(f.path): state[str(f.path)]
        for f in files
        if f.name in names and (f.name, f.sha256()) in registered
    }


def new_partitions(files: list[InboxFile], known: set[str], sites: frozenset[str]) -> list[str]:
    """Referential sites with a file in the inbox and no partition yet."""
    return sorted({s for f in files if (s := partition_of(f, sites)) != NATIONAL} - known)


@dg.sensor(
    jobs=[chaine_complete, chaine_nationale],
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Surveille la boîte de dépôt : nouveaux sites, fichiers nouveaux ou renvoyés.",
)
def boite_de_depot(
    context: dg.SensorEvaluationContext, settings: SettingsParam
) -> dg.SensorResult | dg.SkipReason:
    inbox, warehouse = settings.inbox, settings.warehouse
    files, sites = scan(inbox), site_codes(inbox)
    if context.cursor:
        before = json.loads(context.cursor)
    else:
        try:
            before = already_read(files, warehouse)
        except duckdb.Error:
            return dg.SkipReason(
                "Entrepôt occupé par une exécution : la boîte de dépôt sera comparée à ce qu'il "
                "contient au prochain passage."
            )
    added = new_partitions(files, set(context.instance.get_dynamic_partitions(SITES.name)), sites)
    requests = [
        dg.RunRequest(run_key=f"{site}:{digest}", job_name=chaine_nationale.name)
        if site == NATIONAL
        else dg.RunRequest(
            run_key=f"{site}:{digest}", job_name=chaine_complete.name, partition_key=site
        )
        for site, digest in sorted(changed_sites(files, before, sites).items())
    ]
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[SITES.build_add_request(added)] if added else [],
        cursor=json.dumps(inbox_state(files)),
    )


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=jobs_before(dossiers_copil.name),
    request_job=dossiers_copil,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Après un renvoi, met à jour sans attendre le dossier COPIL du département concerné.",
)
def apres_renvoi(
    context: dg.RunStatusSensorContext, warehouse: WarehouseResource
) -> dg.RunRequest | None:
    with warehouse.connect(read_only=True) as con:
        semester, _ = latest_periods(con)
    if semester is None:
        return None
    return dg.RunRequest(
        run_key=f"{context.dagster_run.run_id}:{semester}",
        partition_key=semester,
        run_config=ONLY_CHANGED_DEPARTMENTS,
    )


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=jobs_before(diffusion_nationale.name),
    request_job=diffusion_nationale,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Après des dossiers COPIL ou le rapport national : tableau de bord, copie des analystes, registre et index.",
)
def apres_publication(context: dg.RunStatusSensorContext) -> dg.RunRequest:
    return dg.RunRequest(run_key=context.dagster_run.run_id)


defs = dg.Definitions(sensors=[boite_de_depot, apres_renvoi, apres_publication])
