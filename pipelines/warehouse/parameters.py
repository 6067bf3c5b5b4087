"""Facts the warehouse keeps about itself (table `parametres`), such as its key's fingerprint."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.errors import IaeError
from pipelines.warehouse.connection import connect

KEY_FINGERPRINT = "empreinte_cle"


def _read_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    exists = con.sql(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'parametres'"
    ).fetchall()
    if exists == [(0,)]:
        return None
    rows = con.execute("SELECT valeur FROM parametres WHERE nom = ?", [KEY_FINGERPRINT]).fetchall()
    return rows[0][0] if rows else None


def verify_key(warehouse: Path, fingerprint: str) -> None:
    """Refuse, before anything is written, a key other than the warehouse's: pseudonyms would no
    longer link across deliveries."""
    if not warehouse.exists():
        return
    with connect(warehouse, read_only=True) as con:
        known = _read_fingerprint(con)
    if known is not None and known != fingerprint:
        raise IaeError(
            "La clé de pseudonymisation fournie n'est pas celle avec laquelle l'entrepôt a été construit "
            f"(empreinte attendue {known}, reçue {fingerprint}). Rien n'a été écrit : utilisez la clé "
            "d'origine (IAE_CLE_FICHIER), sinon les personnes ne seraient plus reliées entre livraisons."
        )


def record_key(con: duckdb.DuckDBPyConnection, fingerprint: str) -> None:
    """Remember the key of a new warehouse (after `verify_key`)."""
    if _read_fingerprint(con) is None:
        con.execute("INSERT INTO parametres VALUES (?, ?)", [KEY_FINGERPRINT, fingerprint])
