"""Each mart declares its key in its SQL file (`-- Key: a, b`); on the hand-built warehouse the
key is unique and never null, so a join on it cannot multiply rows."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from pipelines.paths import SQL_DIR
from pipelines.referentials import load_referentials, read_sites
from pipelines.warehouse import models
from pipelines.warehouse.schema import ensure_schema
from tests.warehouse.warehouse_fixture import build_fixture, load_fixture

MARTS = sorted((SQL_DIR / "marts").glob("*.sql"))
_KEY = re.compile(r"^-- Key: (.+)$", re.MULTILINE)
SINGLE_ROW = "(one row)"


def declared_key(path: Path) -> str:
    found = _KEY.findall(path.read_text(encoding="utf-8"))
    assert len(found) == 1, f"{path.name} must declare its key once (-- Key: …)"
    return found[0].strip()


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.sql(sql).fetchall()[0][0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path_factory.mktemp("cles") / "entrepot.duckdb"))
    ensure_schema(con)
    load_referentials(con, read_sites(None))
    load_fixture(con, build_fixture())
    models.build_all(con, 1350.0)
    return con


@pytest.mark.parametrize("path", MARTS, ids=lambda p: p.stem)
def test_each_mart_key_is_unique_and_never_null(
    path: Path, built: duckdb.DuckDBPyConnection
) -> None:
    table, key = models.model_name(path), declared_key(path)
    rows = _scalar(built, f"SELECT count(*) FROM {table}")
    assert rows > 0, f"{table} is empty on the fixture: its key proves nothing"
    if key == SINGLE_ROW:
        assert rows == 1
        return
    columns = [c.strip() for c in key.split(",")]
    listed = ", ".join(columns)
    distinct = _scalar(built, f"SELECT count(DISTINCT ({listed})) FROM {table}")
    nulls = _scalar(
        built, f"SELECT count(*) FROM {table} WHERE " + " OR ".join(f"{c} IS NULL" for c in columns)
    )
    assert (distinct, nulls) == (rows, 0), f"{table}: {rows} rows, {distinct} keys, {nulls} null"
