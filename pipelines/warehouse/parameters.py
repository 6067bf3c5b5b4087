"""Facts the warehouse keeps about itself (table `parametres`)."""

from __future__ import annotations

import duckdb

from pipelines.errors import IaeError

KEY_FINGERPRINT = "empreinte_cle"


def read_parameter(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    rows = con.execute("SELECT valeur FROM parametres WHERE nom = ?", [name]).fetchall()
    return rows[0][0] if rows else None


def check_key_fingerprint(con: duckdb.DuckDBPyConnection, fingerprint: str) -> None:
    """Refuse a key other than the warehouse's: pseudonyms would no longer link across deliveries."""
    known = read_parameter(con, KEY_FINGERPRINT)
    if known is None:
        con.execute("INSERT INTO parametres VALUES (?, ?)", [KEY_FINGERPRINT, fingerprint])
    elif known != fingerprint:
        raise IaeError(
            "La clé de pseudonymisation fournie n'est pas celle avec laquelle l'entrepôt a été construit "
            f"(empreinte attendue {known}, reçue {fingerprint}). Rien n'a été écrit : utilisez la clé "
            "d'origine (IAE_CLE_FICHIER), sinon les personnes ne seraient plus reliées entre livraisons."
        )
