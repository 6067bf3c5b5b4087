"""What happens to a delivery: read (pipelines.ingest), checked (pipelines.validation) and landed
in the warehouse (pipelines.warehouse) — `deliveries.py`; only tried, for a steward's `iae check`
— `check_files.py`; landed again from the inbox when the warehouse is rebuilt — `rebuild.py`."""
