"""The model files, the indicator catalog and the warehouse assets with their checks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.catalog import load_catalog
from pipelines.codes import load_codes
from pipelines.definitions import defs
from pipelines.defs.resources import resources
from pipelines.defs.warehouse import MODEL_NAMES, indicator_checks, warehouse_models
from pipelines.errors import IaeError
from pipelines.paths import SQL_DIR
from pipelines.settings import Settings
from pipelines.warehouse import models
from pipelines.warehouse.models import model_name, write_indicator_inputs
from tests.warehouse.warehouse_fixture import build_fixture, load_fixture

# The indicators the catalog must hold at least (docs/indicateurs.md).
DOMAIN_INDICATORS = {
    "entrees", "sorties", "presents_fin", "file_active", "etp_realises", "taux_occupation",
    "delai_orientation_entree_median", "duree_parcours_mediane", "liberations",
    "retours_detention_ordinaire", "taux_retour_detention_ordinaire", "taux_amenagement",
    "sorties_emploi_formation", "taux_sortie_emploi_formation", "taux_emploi_durable",
    "taux_sorties_dynamiques", "taux_situation_inconnue", "taux_accompagnement_post_sortie",
    "taux_reincarceration_6m", "taux_reincarceration_12m", "taux_rotation_operateurs",
    "taux_rotation_personnel", "anciennete_mediane_personnel", "part_femmes",
    "part_moins_26_ans", "part_sans_diplome", "part_quantum_hors_4_36", "part_prevenus",
}  # fmt: skip


def test_each_sql_file_creates_one_model_named_like_the_file() -> None:
    files = [
        p for layer in ("staging", "marts", "indicators") for p in (SQL_DIR / layer).glob("*.sql")
    ]
    names = [model_name(p) for p in files]
    assert len(files) > 20 and len(set(names)) == len(names)


def test_catalog_holds_every_indicator_with_french_labels() -> None:
    catalog = load_catalog()
    ids = [i.id for i in catalog.indicators]
    assert len(ids) == len(set(ids))
    assert set(ids) >= DOMAIN_INDICATORS
    codes = load_codes()
    assert {f"sorties_{c}" for c in codes["motif_sortie"].values} <= set(ids)
    assert {f"liberations_{c}" for c in codes["situation_sortie"].values} <= set(ids)
    assert catalog["sorties_deces"].libelle == "Sorties : Décès"
    for i in catalog.indicators:
        assert i.theme in catalog.themes and i.libelle and i.definition and i.numerateur
        assert i.unite in {"nombre", "taux", "ratio", "jours", "etp", "moyenne"}
        assert i.sens in {"hausse_favorable", "baisse_favorable", "neutre"}
        assert (i.methode in ("somme", "distinct")) == (i.denominateur is None)
        assert (i.methode == "rapport") == (i.mesure_denominateur is not None)
    assert catalog["entrees"].is_count and not catalog["etp_realises"].is_count
    assert catalog["taux_reincarceration_12m"].fenetre_mois == 12


def test_catalog_table_is_the_catalog(warehouse: duckdb.DuckDBPyConnection) -> None:
    write_indicator_inputs(warehouse, 1350.0)
    rows = warehouse.sql(
        "SELECT id, libelle, unite FROM catalogue_indicateurs ORDER BY ordre"
    ).fetchall()
    assert rows == [(i.id, i.libelle, i.unite) for i in load_catalog().indicators]


def test_assets_build_the_warehouse_and_pass_their_checks(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    load_fixture(warehouse, build_fixture())
    settings = Settings(home=tmp_path, inbox=tmp_path / "boite")
    result = dg.materialize(
        [*warehouse_models, *indicator_checks],
        resources=resources(settings),
    )
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert {c.check_name for c in checks} == {"additivite", "taux_entre_0_et_1", "plausibilite"}
    assert all(c.passed for c in checks)
    indicators = result.asset_materializations_for_node("calcul_indicateurs")
    rows = {m.asset_key.to_user_string(): m.metadata["lignes"].value for m in indicators}
    assert rows["indicateurs"] > 1000
    assert set(rows) == {m.name for m in models.layer_models("indicators")}


def test_a_catalog_entry_the_sql_cannot_compute_stops_the_build(
    warehouse: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_fixture(warehouse, build_fixture())
    catalog = load_catalog()
    typo = replace(catalog["entrees"], id="entrees_mal_nommees", mesure="entreees")
    monkeypatch.setattr(
        models, "load_catalog", lambda: replace(catalog, indicators=(*catalog.indicators, typo))
    )
    with pytest.raises(IaeError, match="entrees_mal_nommees"):
        models.build_all(warehouse, 1350.0)


def test_every_count_a_rate_reads_is_an_indicator_or_declared_and_computed(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    """The catalog's `mesures` list names the counts of people that rates and medians rest on
    without being indicators themselves; each is computed by the SQL, and none is missing."""
    catalog = load_catalog()
    declared = {m.id for m in catalog.measures}
    assert set(catalog.protected_measures()) <= set(catalog.published_counts()) | declared
    assert all(m.libelle for m in catalog.measures)
    load_fixture(warehouse, build_fixture())
    models.build_all(warehouse, 1350.0)
    computed = {m for (m,) in warehouse.sql("SELECT DISTINCT mesure FROM mesures_sites").fetchall()}
    read = {i.mesure for i in catalog.indicators if i.methode in ("somme", "rapport")}
    read |= {i.mesure_denominateur for i in catalog.indicators if i.mesure_denominateur}
    assert declared | read <= computed


def test_each_model_asset_depends_on_the_tables_its_sql_reads() -> None:
    graph = defs.resolve_asset_graph()

    def parents(name: str) -> set[str]:
        return {k.to_user_string() for k in graph.get(dg.AssetKey(name)).parent_keys}

    assert parents("stg_parcours") == {"stg_livraisons", "livraisons_sites"}
    assert parents("stg_reincarcerations") == {"stg_livraisons", "livraisons_nationales"}
    assert parents("indicateurs") == {"indicateurs_calcules"}
    assert "referentiels" in parents("zones")
    assert "sous_cohortes" not in parents("mesures_reincarceration")  # a CTE, not a table


def test_a_model_reads_only_models_that_run_before_it() -> None:
    """Files run in name order, layer after layer: a model reading a later one would read it stale."""
    ran: set[str] = set()
    for layer in models.LAYERS:
        for model in models.layer_models(layer):
            later = {t for t in model.reads if t in MODEL_NAMES} - ran
            assert later == set(), f"{model.name} reads {later} before they are built"
            ran.add(model.name)
