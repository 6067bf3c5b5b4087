"""Checking deliveries against their data contracts with Great Expectations."""
