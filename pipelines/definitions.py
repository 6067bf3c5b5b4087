"""The Dagster code location (`dagster dev -m pipelines.definitions`)."""

from __future__ import annotations

import dagster as dg

from pipelines.defs import (
    confidentiality,
    dashboard,
    diffusion,
    ingestion,
    jobs,
    publication,
    quality,
    retention,
    sensors,
    warehouse,
)
from pipelines.defs.resources import resources
from pipelines.defs.schedules import publication_schedules
from pipelines.settings import Settings

# Each concern owns its assets, checks, jobs, schedules and sensors (its module's `defs`).
CONCERNS = (
    ingestion,
    warehouse,
    confidentiality,
    quality,
    publication,
    dashboard,
    diffusion,
    retention,
    jobs,
    sensors,
)


def build_definitions(settings: Settings) -> dg.Definitions:
    """The concerns' definitions, with what depends on the settings: the COPIL calendar (due
    dates) and the resources."""
    return dg.Definitions.merge(
        *(concern.defs for concern in CONCERNS),
        dg.Definitions(
            schedules=publication_schedules(settings),
            resources=resources(settings),
            executor=dg.in_process_executor,
        ),
    )


# The code location `dagster dev` loads: the one place its settings are read.
defs = build_definitions(Settings.from_env())
