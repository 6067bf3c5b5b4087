"""Great Expectations 1.x, driven by the contract: one suite per contract, run once per batch.

GE has no Polars source, so the batch goes through pandas. It is imported lazily (its import costs
seconds) and with analytics off. Rows are located with `unexpected_index_list` on the batch's `_row`
column, so one validation covers every file of the batch: cost grows with rows, not with files.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from typing import Any

import pandas as pd
import polars as pl

from pipelines.contracts import Rule

ROW = "_row"


@cache
def _context() -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return gx, context


def _expectation(gx: Any, rule: Rule) -> Any:
    class_name = "".join(part.capitalize() for part in rule.expectation.split("_"))
    return getattr(gx.expectations, class_name)(**rule.kwargs, meta={"regle": rule.name})


@cache
def _batch_definition(name: str) -> Any:
    _, context = _context()
    source = context.data_sources.add_or_update_pandas(f"lots_{name}")
    return source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("lot")


def failing_rows(batch: pd.DataFrame, suite_name: str, rules: list[Rule]) -> pl.DataFrame:
    """(`_row`, `regle`) for every row that breaks a rule; rules on absent columns are skipped."""
    gx, _ = _context()
    applicable = [r for r in rules if _columns_of(r) <= set(batch.columns)]
    suite = gx.ExpectationSuite(
        name=suite_name, expectations=[_expectation(gx, r) for r in applicable]
    )
    result = (
        _batch_definition(suite_name)
        .get_batch(batch_parameters={"dataframe": batch})
        .validate(
            suite,
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": [ROW],
                "partial_unexpected_count": 0,
                "return_unexpected_index_query": False,
            },
        )
    )
    frames = [
        pl.DataFrame(
            {ROW: [int(hit[ROW]) for hit in outcome.result.get("unexpected_index_list") or []]},
            schema={ROW: pl.Int64},
        ).with_columns(pl.lit(outcome.expectation_config.meta["regle"]).alias("regle"))
        for outcome in result.results
        if not outcome.success
    ]
    _raise_on_exception(result)
    empty = pl.DataFrame(schema={ROW: pl.Int64, "regle": pl.String})
    return pl.concat([empty, *frames]).unique()


def _columns_of(rule: Rule) -> set[str]:
    kwargs = rule.kwargs
    names = [
        kwargs.get("column"),
        kwargs.get("column_A"),
        kwargs.get("column_B"),
        *kwargs.get("column_list", []),
    ]
    return {n for n in names if n}


def _raise_on_exception(result: Any) -> None:
    """A rule that GE could not evaluate is a bug in the contract, not a data problem: say so."""
    for outcome in result.results:
        info = outcome.exception_info or {}
        if info.get("raised_exception"):
            rule = outcome.expectation_config.meta["regle"]
            raise RuntimeError(
                f"La règle {rule} n'a pas pu être évaluée : {info.get('exception_message')}"
            )
