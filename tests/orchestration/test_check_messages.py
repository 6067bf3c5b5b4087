"""What `iae` prints of the checks of a job it runs (without the Dagster UI, the command's output is
the only place an operator reads them), and of other libraries' log lines."""

import logging

import dagster as dg
import pytest

from pipelines.cli import _shown
from pipelines.errors import IaeError
from pipelines.runner import execute

WARNING = "Relisez avant envoi le dossier du département 13."
BLOCKING = "La somme des sites n'égale pas le département 13 : transmettez ce message."


def _job(
    passed: bool, severity: dg.AssetCheckSeverity, description: str, *, blocking: bool = False
) -> dg.JobDefinition:
    @dg.asset
    def chiffres() -> int:
        return 1

    @dg.asset_check(asset=chiffres, blocking=blocking)
    def controle() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=passed, severity=severity, description=description)

    definitions = dg.Definitions(
        assets=[chiffres], asset_checks=[controle], jobs=[dg.define_asset_job("essai")]
    )
    return definitions.resolve_job_def("essai")


def test_a_failed_warning_check_is_printed_in_french(caplog: pytest.LogCaptureFixture) -> None:
    with dg.instance_for_test() as instance, caplog.at_level(logging.WARNING, logger="iae"):
        result = execute(_job(False, dg.AssetCheckSeverity.WARN, WARNING), instance)
    assert result.success
    assert [r.getMessage() for r in caplog.records] == [f"Avertissement (controle) : {WARNING}"]


@pytest.mark.parametrize(
    ("passed", "severity"),
    [(True, dg.AssetCheckSeverity.WARN), (False, dg.AssetCheckSeverity.ERROR)],
    ids=["reussi", "contrat_non_bloquant"],
)
def test_a_passed_or_non_blocking_error_check_prints_nothing(
    caplog: pytest.LogCaptureFixture, passed: bool, severity: dg.AssetCheckSeverity
) -> None:
    """A failed non-blocking error check is a site's contract: its quarantine is already told."""
    with dg.instance_for_test() as instance, caplog.at_level(logging.WARNING, logger="iae"):
        execute(_job(passed, severity, WARNING), instance)
    assert caplog.records == []


def test_a_failed_blocking_check_stops_with_its_own_description() -> None:
    with dg.instance_for_test() as instance, pytest.raises(IaeError, match="La somme des sites"):
        execute(_job(False, dg.AssetCheckSeverity.ERROR, BLOCKING, blocking=True), instance)


def test_a_blocking_check_that_stops_a_run_is_told_without_the_contracts_beside_it() -> None:
    """The message is what stopped the run: a site's failed contract (not blocking) in the same
    run was told by the ingest and is not listed again."""

    @dg.asset
    def chiffres() -> int:
        return 1

    @dg.asset_check(asset=chiffres, name="contrat_parcours")
    def contrat() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.ERROR)

    @dg.asset_check(asset=chiffres, blocking=True)
    def additivite() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=False, description=BLOCKING)

    definitions = dg.Definitions(
        assets=[chiffres], asset_checks=[contrat, additivite], jobs=[dg.define_asset_job("essai")]
    )
    with dg.instance_for_test() as instance, pytest.raises(IaeError) as stopped:
        execute(definitions.resolve_job_def("essai"), instance)
    assert str(stopped.value) == BLOCKING


def _record(name: str, level: int, error: BaseException | None) -> logging.LogRecord:
    exc_info = (type(error), error, None) if error is not None else None
    return logging.LogRecord(name, level, __file__, 1, "Exception closing connection", (), exc_info)


def test_a_library_logging_the_ctrl_c_it_passes_on_is_not_shown() -> None:
    """SQLAlchemy logs an English traceback when Ctrl-C lands while Dagster's storage closes;
    the command says « Interrompu (Ctrl-C) » itself. Real errors and warnings still show."""
    assert not _shown(_record("sqlalchemy.pool.impl.QueuePool", logging.ERROR, KeyboardInterrupt()))
    assert _shown(_record("sqlalchemy.pool.impl.QueuePool", logging.ERROR, OSError("disque plein")))
    assert _shown(_record("dagster", logging.WARNING, None))
    assert not _shown(_record("dagster", logging.INFO, None))
    assert _shown(_record("iae", logging.INFO, None))
