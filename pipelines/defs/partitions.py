"""Partitions: one per site (registered by the inbox sensor), one per semester and per year."""

import dagster as dg

SITES = dg.DynamicPartitionsDefinition(name="sites")
