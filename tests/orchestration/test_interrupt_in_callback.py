"""A Ctrl-C that lands in a garbage-collection callback: told in French by the command, never as
Python's English « Exception ignored in … Traceback »."""

from __future__ import annotations

import gc
import weakref

import pytest
from dagster._core.errors import DagsterExecutionInterruptedError

from pipelines import cli


class _Collected:
    pass


kept: list[weakref.ref] = []


def _interrupt_when_collected(error: BaseException) -> None:
    def callback(_: weakref.ref) -> None:
        raise error

    kept.append(weakref.ref(_Collected(), callback))
    gc.collect()


@pytest.mark.parametrize(
    "error",
    [KeyboardInterrupt(), DagsterExecutionInterruptedError("Execution was interrupted")],
    ids=["python", "dagster"],
)
def test_an_interruption_in_a_callback_prints_no_traceback(
    error: BaseException, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.unraisablehook", cli._unraisable)
    _interrupt_when_collected(error)
    assert "Traceback" not in capsys.readouterr().err


def test_any_other_error_in_a_callback_is_still_reported(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.unraisablehook", cli._unraisable)
    _interrupt_when_collected(ValueError("a real defect"))
    assert "a real defect" in capsys.readouterr().err
