"""Facts the warehouse keeps about itself (table `parametres`), such as its key's fingerprint."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.errors import IaeError
from pipelines.warehouse.connection import connect

KEY_FINGERPRINT = "empreinte_cle"
PURGE_LIMIT = "limite_purge"  # the last purge's limit: a rebuild purges the same rows again


def parameter(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    exists = con.sql(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'parametres'"
    ).fetchall()
    if exists == [(0,)]:
        return None
    rows = con.execute("SELECT valeur FROM parametres WHERE nom = ?", [name]).fetchall()
    return rows[0][0] if rows else None


def set_parameter(con: duckdb.DuckDBPyConnection, name: str, value: str) -> None:
    con.execute("DELETE FROM parametres WHERE nom = ?", [name])
    con.execute("INSERT INTO parametres VALUES (?, ?)", [name, value])


def verify_key(warehouse: Path, fingerprint: str) -> None:
    """Refuse, before anything is written, a key other than the warehouse's: pseudonyms would no
    longer link across deliveries."""
    if not warehouse.exists():
        return
    with connect(warehouse, read_only=True) as con:
        known = parameter(con, KEY_FINGERPRINT)
    if known is not None and known != fingerprint:
        raise IaeError(
            "La clé de pseudonymisation fournie n'est pas celle avec laquelle l'entrepôt a été construit "
            f"(empreinte attendue {known}, reçue {fingerprint}). Rien n'a été écrit : utilisez la clé "
            "d'origine (IAE_CLE_FICHIER), sinon les personnes ne seraient plus reliées entre livraisons."
        )


def record_key(con: duckdb.DuckDBPyConnection, fingerprint: str) -> None:
    """Remember the key of a new warehouse (after `verify_key`)."""
    if parameter(con, KEY_FINGERPRINT) is None:
        con.execute("INSERT INTO parametres VALUES (?, ?)", [KEY_FINGERPRINT, fingerprint])
