"""Named stages of a run, timed where they happen, so that `make bench` can report each one.

Outside a benchmark this only keeps a few timestamps. The benchmark samples the process's memory
in a thread and charges each sample to the stage running at that moment.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class StageRecord:
    name: str
    seconds: float = 0.0
    peak_rss_bytes: int = 0


@dataclass
class StageLog:
    records: dict[str, StageRecord] = field(default_factory=dict)
    current: str | None = None

    def sample(self, rss_bytes: int) -> None:
        if self.current is not None:
            record = self.records[self.current]
            record.peak_rss_bytes = max(record.peak_rss_bytes, rss_bytes)


STAGES = StageLog()


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Time a stage (nested stages are charged to the innermost one, time included in both)."""
    record = STAGES.records.setdefault(name, StageRecord(name))
    outer, STAGES.current = STAGES.current, name
    start = time.perf_counter()
    try:
        yield
    finally:
        record.seconds += time.perf_counter() - start
        STAGES.current = outer


def timed(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator form of `stage`, for Dagster assets (the signature Dagster reads is kept)."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with stage(name):
                return function(*args, **kwargs)

        return wrapper

    return decorate
