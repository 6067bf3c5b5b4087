"""Where the project's own data files live (contracts, SQL, referentials), whatever the working directory."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CONTRACTS_DIR = PROJECT_ROOT / "data_contracts"
SQL_DIR = PROJECT_ROOT / "sql"
REFERENTIALS_DIR = Path(__file__).resolve().parent / "referentials"
