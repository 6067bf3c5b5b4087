"""Keyed hashing of person identifiers (HMAC-SHA256), so that no clear identifier is ever stored.

The key comes from `IAE_CLE` (the key itself) or `IAE_CLE_FICHIER` (a file readable by its owner
only), never from the output folder: whoever holds the warehouse must not be able to re-identify.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import stat
from pathlib import Path

import polars as pl

from pipelines.errors import IaeError

KEY_ENV = "IAE_CLE"
KEY_FILE_ENV = "IAE_CLE_FICHIER"
_MIN_KEY_BYTES = 16


def read_key_file(path: Path) -> bytes:
    if not path.is_file():
        raise IaeError(
            f"Clé de pseudonymisation introuvable : {path}. Indiquez le bon chemin dans {KEY_FILE_ENV}."
        )
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise IaeError(
            f"La clé de pseudonymisation {path} est lisible par d'autres utilisateurs "
            f"(droits {stat.filemode(mode)}). Restreignez-la : chmod 600 {path}"
        )
    return path.read_bytes().strip()


def load_key(key_file: Path | None = None, *, output_folder: Path | None = None) -> bytes:
    """The hashing key, or a French error saying how to provide one.

    A key file inside the output folder is refused: whoever gets the warehouse would get the key.
    """
    if os.environ.get(KEY_ENV):
        key = os.environ[KEY_ENV].encode("utf-8")
    elif key_file is not None:
        if output_folder is not None and key_file.resolve().is_relative_to(output_folder.resolve()):
            raise IaeError(
                f"La clé de pseudonymisation {key_file} est dans le dossier de sortie {output_folder} : "
                "déplacez-la ailleurs (hors du dossier partagé), sinon l'entrepôt et sa clé voyageraient ensemble."
            )
        key = read_key_file(key_file)
    else:
        raise IaeError(
            "Aucune clé de pseudonymisation : définissez la variable IAE_CLE_FICHIER (chemin d'un "
            "fichier lisible par vous seul, hors du dossier de sortie) ou IAE_CLE. "
            "Pour un essai, `make demo` crée une clé locale."
        )
    if len(key) < _MIN_KEY_BYTES:
        raise IaeError(
            f"La clé de pseudonymisation est trop courte ({len(key)} octets, minimum {_MIN_KEY_BYTES})."
        )
    return key


def create_key_file(path: Path) -> None:
    """A new random key readable by its owner only (demo and first installation)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(os.urandom(32).hex())


def key_fingerprint(key: bytes) -> str:
    """Identifies the key in the warehouse without revealing it."""
    return hashlib.sha256(b"iae-detention/empreinte/" + key).hexdigest()[:16]


_AS_DECIMAL = re.compile(r"(\d+)[.,]0+")
# What a spreadsheet or a hand puts around a number: Excel's text formula (`="0123456"`), a
# number sign (`n° 123456`, `N°123456`, `#123456`, `No. 123456`) and a final full stop.
_TEXT_FORMULA = re.compile(r'=?"(.*)"')
_DRESSED_NUMBER = re.compile(r"(?:N°|Nº|NO\.|N\.|#)?(\d+)\.?")


def normalise_identifier(value: str) -> str:
    """Same person, same pseudonym: spaces removed, upper case (`ab 123 ` → `AB123`), and an
    all-digit identifier without leading zeros (a spreadsheet reads `0123456` as 123456), nor the
    decimals a spreadsheet adds to a number (`123456.0`, `123456,0`), nor what dresses it
    (`="123456"`, `n° 123456`, `#123456`, `123456.`)."""
    plain = "".join(value.split()).upper()
    if (formula := _TEXT_FORMULA.fullmatch(plain)) is not None:
        plain = formula.group(1)
    for pattern in (_AS_DECIMAL, _DRESSED_NUMBER):
        if (number := pattern.fullmatch(plain)) is not None:
            plain = number.group(1)
    return (plain.lstrip("0") or "0") if plain.isdigit() else plain


def pseudonymise(values: pl.Series, key: bytes) -> pl.Series:
    """Hash each distinct identifier once; empty stays empty (the contract reports it)."""
    distinct = values.drop_nulls().unique()
    digests = {
        raw: hmac.new(key, normalise_identifier(raw).encode("utf-8"), hashlib.sha256).hexdigest()
        for raw in distinct.to_list()
    }
    return values.replace_strict(digests, default=None, return_dtype=pl.String)
