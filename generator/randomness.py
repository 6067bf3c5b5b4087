"""Independent, reproducible random streams keyed by purpose, site and period.

Seeding each stream with a string (hashed with SHA-512 by `random`) keeps a site's data the same
whatever other sites or periods are generated, and never depends on PYTHONHASHSEED.
"""

from __future__ import annotations

import random
from datetime import date, timedelta


def stream(seed: int, *keys: object) -> random.Random:
    return random.Random("|".join([str(seed), *(str(k) for k in keys)]))


def days_after(start: date, rng: random.Random, low: int, high: int) -> date:
    return start + timedelta(days=rng.randint(low, high))


def weighted(rng: random.Random, table: dict[str, float]) -> str:
    """One key of `table`, with probability proportional to its weight."""
    return rng.choices(list(table), weights=list(table.values()))[0]
