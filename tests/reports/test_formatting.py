"""One rounding rule for every output: half up on the value as written, as French statistics print."""

from __future__ import annotations

from reports import formatting

NNBSP = formatting.NARROW_NBSP


def test_halves_round_up_not_to_even() -> None:
    assert formatting.percent(0.0625) == f"6,3{NNBSP}%"
    assert formatting.number(2.5) == "3"
    assert formatting.number(0.125, 2) == "0,13"
    assert formatting.figure(12.25, "etp") == "12,3"
    assert formatting.figure(0.745, "moyenne") == "0,75"  # trainings per exit: a mean, no %


def test_a_value_near_a_half_rounds_once_from_its_exact_value() -> None:
    """0,23048 is 23,0 %, never 23,05 then 23,1 (rounding twice)."""
    assert formatting.percent(0.23048) == f"23,0{NNBSP}%"
    assert formatting.figure_as_printed(0.23048, "taux") == 0.23


def test_the_printed_number_formats_back_to_the_same_text() -> None:
    for value, unit in [
        (0.0625, "taux"),
        (0.77777, "taux"),
        (12.25, "etp"),
        (44.5, "jours"),
        (0.745, "moyenne"),
    ]:
        printed = formatting.figure_as_printed(value, unit)
        assert formatting.figure(printed, unit) == formatting.figure(value, unit)


def test_a_change_is_the_difference_of_the_printed_figures() -> None:
    """77,8 % then 80,8 %: the change printed is −3,0 pt, whatever the unrounded values say."""
    now = formatting.figure_as_printed(0.77777, "taux")
    before = formatting.figure_as_printed(0.80849, "taux")
    assert formatting.number(100 * (now - before), 1) == "-3,0"
