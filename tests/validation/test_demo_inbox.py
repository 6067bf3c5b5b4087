"""On the generated national inbox: every injected defect is caught where it was injected, nothing
else is quarantined, deliveries are judged on time/late/missing as generated, and no clear
identifier or name reaches the warehouse."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.codes import simplify
from pipelines.contracts import load_contract
from pipelines.ingest.readers import read_table
from pipelines.warehouse.connection import connect
from tests.conftest import DemoRun

pytestmark = pytest.mark.lent


def _table(run: DemoRun, sql_table: str) -> pl.DataFrame:
    with connect(run.settings.warehouse, read_only=True) as con:
        return con.table(sql_table).pl()


def test_every_injected_defect_is_caught_and_nothing_else(demo_run: DemoRun) -> None:
    expected = {
        (d["file"], d["line"], d["rule"])
        for d in demo_run.manifest["defects"]
        if not d["superseded"]
    }
    errors = _table(demo_run, "quarantaine")
    found = set(errors.select("fichier", "ligne", "regle").iter_rows())
    assert found == expected
    privacy = errors.filter(
        pl.col("regle").str.starts_with("suivi_") & pl.col("atteinte_vie_privee")
    )
    assert privacy.height > 0 and set(privacy["regle"]) <= {
        "suivi_sans_mesure",
        "suivi_liberation_sans_mesure",
    }


def test_resubmissions_replace_or_are_duplicates(demo_run: DemoRun) -> None:
    register = _table(demo_run, "livraisons")
    status = dict(register.select("fichier", "statut").iter_rows())
    for resent in demo_run.manifest["resubmissions"]:
        assert status[resent["file"]] == ("doublon" if resent["identical"] else "acceptee")
        assert status[resent["replaces"]] in ("acceptee" if resent["identical"] else "remplacee",)


def test_missing_and_late_deliveries_are_reported(demo_run: DemoRun) -> None:
    status = {
        (r["code_site"], r["type_export"], r["periode"]): r["statut"]
        for r in _table(demo_run, "statut_livraisons").iter_rows(named=True)
    }
    for missing in demo_run.manifest["missing"]:
        assert status[(missing["site"], missing["type"], missing["period"])] == "manquante", missing
    for late in demo_run.manifest["late"]:
        assert status[(late["site"], late["type"], late["period"])] == "en_retard", late


def test_every_site_has_rows(demo_run: DemoRun) -> None:
    sites = set(_table(demo_run, "ref_sites")["code_site"])
    assert set(_table(demo_run, "raw_parcours")["code_site"]) == sites


def _clear_values(inbox: Path) -> set[str]:
    """Identifiers, last and first names as written in the inbox files."""
    wanted = {"nom": "nom", "prenom": "prenom"}
    for export in ("parcours", "personnel", "suivi", "reincarcerations"):
        contract = load_contract(export)
        for column in contract.pseudonymised_columns:
            wanted |= {
                simplify(a): "identifiant" for a in (column, *contract.column(column).aliases)
            }
    values: set[str] = set()
    for path in inbox.iterdir():
        if path.name == "sites.csv" or path.is_dir():
            continue
        try:
            frame = read_table(path, wanted, []).frame
        except Exception:  # a deliberately broken file: nothing of it was stored either
            continue
        for column in ("identifiant", "nom", "prenom"):
            if column in frame.columns:
                values |= {v for v in frame[column].drop_nulls().to_list() if len(v) > 2}
    return values


def test_no_clear_identifier_or_name_anywhere_in_the_warehouse(demo_run: DemoRun) -> None:
    forbidden = _clear_values(demo_run.inbox)
    assert len(forbidden) > 1000
    with connect(demo_run.settings.warehouse, read_only=True) as con:
        columns = con.sql(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR' OR data_type = 'VARCHAR[]'"
        ).fetchall()
        con.register("interdits", pl.DataFrame({"v": sorted(forbidden)}))
        assert len(columns) > 50
        for table, column, kind in columns:
            values = f"unnest({column})" if kind == "VARCHAR[]" else column
            hits = con.sql(
                f'SELECT count(*) FROM (SELECT {values} AS v FROM "{table}") WHERE v IN (SELECT v FROM interdits)'
            ).fetchall()
            assert hits == [(0,)], (table, column)
