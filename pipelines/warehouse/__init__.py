"""The DuckDB warehouse: connection, schema, landing of deliveries and the SQL models."""
