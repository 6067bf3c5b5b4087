"""Identifiers: national person identifiers (unique across France) and staff matricules."""

from __future__ import annotations

import random
import string

_LETTERS = string.ascii_uppercase


class IdentifierBook:
    """Hands out identifiers never handed out before in this generation (collisions redrawn)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def reserve(self, identifier: str) -> None:
        self._taken.add(identifier)

    def person(self, rng: random.Random) -> str:
        """Ten characters, e.g. `17K0042315`: two digits, a letter, seven digits."""
        while True:
            candidate = (
                f"{rng.randint(10, 99)}{rng.choice(_LETTERS)}{rng.randint(0, 9_999_999):07d}"
            )
            if candidate not in self._taken:
                self._taken.add(candidate)
                return candidate

    def staff(self, rng: random.Random, prefix: str) -> str:
        """A matricule such as `AR-01234`, unique within the generation."""
        while True:
            candidate = f"{prefix}-{rng.randint(0, 99_999):05d}"
            if candidate not in self._taken:
                self._taken.add(candidate)
                return candidate


def staff_prefix(siae_nom: str) -> str:
    """Two capitals from the SIAE's name (`Après (groupe ARES)` → `AG`)."""
    letters = [w[0] for w in siae_nom.replace("(", " ").split() if w[:1].isalpha()]
    plain = "".join(letters).upper().translate(str.maketrans("ÉÈÊÀÂÎÔÛÇ", "EEEAAIOUC"))
    return (plain + "XX")[:2]
