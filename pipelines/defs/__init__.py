"""The Dagster code location, split by concern: each module owns its assets, checks, jobs,
schedules and sensors (its `defs`), merged by pipelines/definitions.py with the resources."""

import warnings

import dagster as dg

# Single-run backfills and partitioned checks are the designed way to batch sites; their
# beta/preview status is known and accepted, not worth a warning on every command.
warnings.filterwarnings("ignore", category=dg.BetaWarning)
warnings.filterwarnings("ignore", category=dg.PreviewWarning)
