"""Identifiers are hashed with the key, consistently, and the key is guarded."""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import polars as pl
import pytest

from pipelines.errors import IaeError
from pipelines.ingest.pseudonymise import create_key_file, load_key, pseudonymise


def test_same_person_same_pseudonym_whatever_the_spelling() -> None:
    key = b"k" * 32
    out = pseudonymise(pl.Series(["ab 123", "AB123", " Ab123 ", None, "CD456"]), key).to_list()
    expected = hmac.new(key, b"AB123", hashlib.sha256).hexdigest()
    assert out[:3] == [expected] * 3
    assert out[3] is None
    assert out[4] != expected and len(out[4]) == 64


def test_leading_zeros_a_spreadsheet_dropped_do_not_make_another_person() -> None:
    key = b"k" * 32
    out = pseudonymise(pl.Series(["0012345", "12345", "12 345", "0A12", "A12"]), key).to_list()
    assert out[0] == out[1] == out[2] == hmac.new(key, b"12345", hashlib.sha256).hexdigest()
    assert out[3] != out[4]  # not all digits: the zero is part of the identifier


def test_a_number_a_spreadsheet_wrote_with_decimals_is_the_same_person() -> None:
    key = b"k" * 32
    values = ["012345", "12345.0", "12345,00", "12345.5", "A12.0"]
    out = pseudonymise(pl.Series(values), key).to_list()
    assert out[0] == out[1] == out[2] == hmac.new(key, b"12345", hashlib.sha256).hexdigest()
    assert out[3] != out[0]  # a real decimal part is part of the identifier
    assert out[4] == hmac.new(key, b"A12.0", hashlib.sha256).hexdigest()


def test_a_number_dressed_by_a_spreadsheet_or_a_hand_is_the_same_person() -> None:
    """Excel's text formula, a number sign and a final full stop do not make another person."""
    key = b"k" * 32
    values = ['="7734101"', "n° 7734101", "N°7734101", "#7734101", "7734101.", "No. 7734101"]
    out = pseudonymise(pl.Series([*values, "NOR7734101", "N°AB12"]), key).to_list()
    assert set(out[: len(values)]) == {hmac.new(key, b"7734101", hashlib.sha256).hexdigest()}
    assert out[-2] == hmac.new(key, b"NOR7734101", hashlib.sha256).hexdigest()
    assert out[-1] == hmac.new(key, "N°AB12".encode(), hashlib.sha256).hexdigest()


def test_another_key_gives_other_pseudonyms() -> None:
    values = pl.Series(["AB123"])
    assert pseudonymise(values, b"a" * 32).item() != pseudonymise(values, b"b" * 32).item()


def test_key_file_readable_by_others_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IAE_CLE", raising=False)
    path = tmp_path / "cle.key"
    create_key_file(path)
    assert len(load_key(path)) == 64
    os.chmod(path, 0o644)
    with pytest.raises(IaeError, match="chmod 600"):
        load_key(path)


def test_missing_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IAE_CLE", raising=False)
    with pytest.raises(IaeError, match="IAE_CLE_FICHIER"):
        load_key(None)
