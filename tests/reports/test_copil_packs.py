"""The COPIL packs rendered from a small warehouse: what they contain, what they never contain,
and that every figure they print is the warehouse's, after statistical confidentiality."""

from __future__ import annotations

import html
import re
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.catalog import load_catalog
from pipelines.codes import load_codes
from pipelines.contracts import contracts_version
from pipelines.settings import Settings, Thresholds
from reports.linked_relations import holding
from reports.packs.dataset import departmental_dataset, load_sources
from reports.packs.figures import KEY, published_figures
from reports.packs.queries import query
from reports.packs.render import PAGE, PDF
from tests.reports.pack_fixture import (
    DEPARTMENTS,
    SEMESTER,
    YEAR,
    Published,
    warehouse_figures,
    year_coverage_sentence,
)
from tests.reports.page_reading import (
    chart_rows,
    chart_specs,
    figure_cells,
    misreported,
    small_counts_shown,
    visible_text,
)

pytestmark = [pytest.mark.lent, pytest.mark.navigateur]


def _page(folder: Path) -> str:
    return (folder / PAGE).read_text(encoding="utf-8")


def _pdf_text(folder: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(folder / PDF), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_every_pack_is_one_folder_with_its_page_pdf_assets_and_zip(published: Published) -> None:
    assert sorted(d.zone for d in published.departmental) == list(DEPARTMENTS)
    for folder in published.folders():
        assert (folder / PAGE).is_file() and (folder / PDF).read_bytes().startswith(b"%PDF")
        assert (folder / "assets" / "dsfr" / "css" / "core.min.css").is_file()
        assert (folder / "assets" / "dsfr" / "fonts" / "Marianne-Regular.woff2").is_file()
        with zipfile.ZipFile(folder.with_name(f"{folder.name}.zip")) as archive:
            names = archive.namelist()
        assert f"{folder.name}/{PAGE}" in names and f"{folder.name}/{PDF}" in names
    index = (published.outputs / PAGE).read_text(encoding="utf-8")
    for folder in published.folders():
        assert f'href="{folder.relative_to(published.outputs).as_posix()}/{PAGE}"' in index


def test_pages_load_nothing_from_the_network(published: Published) -> None:
    for folder in [*published.folders(), published.outputs]:
        page = _page(folder)
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
        assert "@import" not in page and "fonts.googleapis" not in page
        assert page.count("window.vegaEmbed=") == (0 if folder == published.outputs else 1)


def test_a_department_pack_shows_no_site_of_another_department(
    published: Published, warehouse_ro: duckdb.DuckDBPyConnection
) -> None:
    deliveries = query(warehouse_ro, "livraisons")
    sites = deliveries.select("code_site", "libelle_site", "code_departement").unique()
    open_now = deliveries.filter(pl.col("periode") == SEMESTER).select(sites.columns).unique()
    for dataset in published.departmental:
        folder = published.department_folder(dataset.zone)
        shown = _page(folder) + _pdf_text(folder)
        others = sites.filter(pl.col("code_departement") != dataset.zone).rows()
        own = open_now.filter(pl.col("code_departement") == dataset.zone).rows()
        assert others and own
        for code, label, _ in others:
            assert code not in shown and label not in shown
        for _code, label, _ in own:
            assert label in visible_text(_page(folder))


def test_no_output_contains_a_person_identifier(
    published: Published, warehouse_ro: duckdb.DuckDBPyConnection
) -> None:
    identifiers = {
        v
        for table, column in (
            ("raw_parcours", "identifiant"),
            ("raw_personnel", "identifiant_salarie"),
            ("raw_reincarcerations", "identifiant"),
        )
        for (v,) in warehouse_ro.sql(f"SELECT DISTINCT {column} FROM {table}").fetchall()
    }
    assert identifiers
    files = [p for p in published.outputs.rglob("*") if p.suffix in (".html", ".json")]
    texts = [p.read_text(encoding="utf-8") for p in files]
    texts += [_pdf_text(folder) for folder in published.folders()]
    for text in texts:
        found = [i for i in identifiers if i in text]
        assert not found


def test_counts_under_five_never_appear_as_numbers(published: Published) -> None:
    for folder in published.folders():
        page = _page(folder)
        assert "secret" in {c["texte"] for c in figure_cells(page)}
        assert small_counts_shown(page) == []


def test_every_printed_figure_is_the_warehouse_figure(
    published: Published, warehouse_ro: duckdb.DuckDBPyConnection
) -> None:
    """Each cell read back from the page: its text is the warehouse value in French, or the
    reason it is hidden, and that reason holds in the warehouse."""
    checked = 0
    figures = warehouse_figures(warehouse_ro)
    for folder in published.folders():
        page = _page(folder)
        assert misreported(page, figures) == []
        checked += len(figure_cells(page))
    assert checked > 300


def test_a_department_pack_compares_with_the_nation_and_past_semesters(
    published: Published,
) -> None:
    cells = figure_cells(_page(published.department_folder("77")))
    keys = {(c["data-maille"], c["data-zone"], c["data-periode"]) for c in cells}
    assert {
        ("departement", "77", SEMESTER),
        ("departement", "77", "2025-S2"),
        ("departement", "77", "2025-S1"),
        ("nation", "FR", SEMESTER),
        ("site", "77-alpha", SEMESTER),
        ("site", "77-beta", SEMESTER),
        ("disp", "paris", SEMESTER),  # the DISP co-chairs the COPIL
    } <= keys
    # adjustments by type, training, the situation after release, results since opening
    assert {
        "amenagements_LC",
        "part_amenagement_PSE",
        "taux_clea",
        "pmsmp_realisees",
        "taux_emploi_formation_suivi_6m",
        "entrees_cumulees",
        "taux_cumul_sortie_emploi_formation",
    } <= {c["data-indicateur"] for c in cells}
    page = _page(published.department_folder("77"))
    sites = {r["serie"] for r in chart_rows(chart_specs(page)["sites"]) if r["valeur"] is not None}
    assert {"France"} < sites  # each site's trend, with the national line
    for section in (
        "Annexe 1 — Qualité des données",
        "Annexe 2 — Méthodologie",
        "Données arrêtées au",
    ):
        assert section in page
    assert "essai-rapports" in page and html.escape(contracts_version()) in page
    # one mark for every hidden count, and no count of rows a site's file active would give
    # back by difference (41 rows received beside a file active of 40: 1 row quarantined)
    assert "&lt; 5" not in page and "Lignes reçues" not in page


def test_captions_name_the_department_with_its_article(published: Published) -> None:
    """« dans les Bouches-du-Rhône », not « en Bouches-du-Rhône »: the article of its name."""
    text = visible_text(_page(published.department_folder("13")))
    assert (
        "Évolution des entrées, des sorties et de la file active dans les Bouches-du-Rhône" in text
    )
    assert "de chaque site des Bouches-du-Rhône" in text
    assert "en Bouches-du-Rhône" not in text and "de Bouches-du-Rhône" not in text
    assert re.search(r"Livraisons dues pour le \d", text)  # « pour le 1er semestre 2025 »
    national = visible_text(_page(published.national_folder))
    assert f"Livraisons dues pour l'année {YEAR}" in national


def test_the_national_report_compares_departments_and_disp(published: Published) -> None:
    page = _page(published.national_folder)
    specs = chart_specs(page)
    assert {"taux_occupation-departement", "taux_occupation-disp"} <= set(specs)
    headings = set(re.findall(r'<th scope="col">([^<]+)</th>', page))
    assert {"Département", "DISP"} <= headings and "Disp" not in headings
    cells = figure_cells(page)
    assert {c["data-zone"] for c in cells if c["data-maille"] == "site"} == {
        "77-alpha",
        "77-beta",
        "13-gamma",
        "13-delta",
    }
    assert {c["data-periode"] for c in cells if c["data-maille"] != "nation"} == {YEAR}
    assert {"disp", "region", "type_siae", "type_etablissement"} <= {
        c["data-maille"] for c in cells
    }
    national = {c["data-indicateur"] for c in cells if c["data-maille"] == "nation"}
    assert {
        "taux_reincarceration_12m_amenagement",
        "taux_reincarceration_12m_sans_emploi_formation",
        "sorties_retour_detention_ordinaire",
        "liberations_emploi_durable",
        "amenagements_LSC",
        "pmsmp_realisees",
        "taux_emploi_formation_suivi_3m",
        "sites_ouverts",
        "postes_conventionnes",
    } <= national


def test_a_first_publication_renders_every_pack(published: Published) -> None:
    """Speed is measured by `make bench`, not here: this only checks nothing was skipped."""
    assert published.outcomes and all(o.rendered for o in published.outcomes)


@pytest.mark.parametrize("code", DEPARTMENTS)
def test_the_pdf_embeds_marianne_only(published: Published, code: str) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(published.department_folder(code) / PDF)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names and all("Marianne" in n for n in names)


def test_no_hidden_count_can_be_recovered_from_a_published_table(
    settings: Settings, warehouse_ro: duckdb.DuckDBPyConnection
) -> None:
    """For every additive relation the figures satisfy (sites of a department, exits by reason, a
    year and its semesters, a share's numerator and its count...), never exactly one hidden
    non-zero cell, and every hidden count is hidden in what the publications print."""
    published = published_figures(warehouse_ro)
    cells = query(warehouse_ro, "cellules_secret")
    printed = cells.join(published.select(*KEY, "supprime"), on=KEY)
    assert printed.height > 0 and printed.filter(pl.col("cache") != pl.col("supprime")).is_empty()
    members = holding(query(warehouse_ro, "relations_additives").join(cells, on=KEY)).rename(
        {"valeur": "brut", "cache": "supprime"}
    )
    hidden = members.group_by("relation").agg(
        (pl.col("supprime") & (pl.col("brut") != 0)).sum().alias("caches"),
        pl.col("relation").str.contains("|semestres|", literal=True).first().alias("annuelle"),
    )
    assert hidden.height > 100 and hidden["caches"].max() > 0
    assert hidden.filter(pl.col("caches") == 1).height == 0
    yearly = hidden.filter(pl.col("annuelle"))
    assert yearly.height > 0 and yearly["caches"].max() > 0


def test_the_share_of_dynamic_releases_is_tied_to_its_situations(
    warehouse_ro: duckdb.DuckDBPyConnection,
) -> None:
    """Its numerator is the releases whose situation's group is dynamic (data_contracts/codes.yaml):
    the rate printed beside its base would otherwise give a hidden situation back."""
    codes = load_codes()
    dynamic = {g.code for g in codes["groupe_situation_sortie"].codes if g.attributes["dynamique"]}
    expected = {
        f"liberations_{s.code}"
        for s in codes["situation_sortie"].codes
        if s.attributes["groupe"] in dynamic
    }
    cells = query(warehouse_ro, "cellules_secret")
    members = holding(query(warehouse_ro, "relations_additives").join(cells, on=KEY)).filter(
        pl.col("relation").str.contains("|dynamiques|", literal=True)
    )
    assert members.filter(pl.col("total"))["indicateur"].unique().to_list() == [
        "taux_sorties_dynamiques|numerateur"
    ]
    parts = members.filter(~pl.col("total")).group_by("relation").agg("indicateur")
    assert parts.height > 10
    assert {frozenset(p) for p in parts["indicateur"]} == {frozenset(expected)}
    # Its definition, printed in every annex, names each of those situations.
    [rate] = [i for i in load_catalog().indicators if i.id == "taux_sorties_dynamiques"]
    for situation in codes["situation_sortie"].codes:
        named = situation.libelle[0].lower() + situation.libelle[1:] in rate.definition
        assert named == (f"liberations_{situation.code}" in expected), situation.code


def test_the_turnover_base_is_tied_to_the_stocks_and_entries(
    warehouse_ro: duckdb.DuckDBPyConnection,
) -> None:
    """Operator turnover is exits over the mean of the pathways open on the first and the last
    day; its base (their sum) plus the entries is the file active plus the present at the end,
    wherever the figures hold it, and the base is twice the rate's denominator."""
    cells = query(warehouse_ro, "cellules_secret")
    members = holding(query(warehouse_ro, "relations_additives").join(cells, on=KEY)).filter(
        pl.col("relation").str.contains("|moyenne|", literal=True)
    )
    sides = members.group_by("relation").agg(
        pl.col("indicateur").filter(pl.col("total")).sort().alias("totaux"),
        pl.col("indicateur").filter(~pl.col("total")).sort().alias("parties"),
    )
    assert sides.height > 10
    assert sides["totaux"].to_list() == [["file_active", "presents_fin"]] * sides.height
    assert (
        sides["parties"].to_list() == [["entrees", "taux_rotation_operateurs|base"]] * sides.height
    )
    bases = members.filter(pl.col("indicateur") == "taux_rotation_operateurs|base").join(
        query(warehouse_ro, "figures").filter(pl.col("indicateur") == "taux_rotation_operateurs"),
        on=[k for k in KEY if k != "indicateur"],
    )
    assert bases.height == sides.height
    assert (bases["valeur"] == 2 * bases["denominateur"]).all()


def test_a_hidden_semester_is_not_a_year_minus_the_other(
    settings: Settings, warehouse_ro: duckdb.DuckDBPyConnection
) -> None:
    """A count of events over a year is the sum over its two semesters: with the year shown, a
    hidden semester never has its sibling shown (unless the year is 0: a zero hidden to widen
    another bound then reads as 0, which tells nothing about anyone)."""
    events = [i.id for i in load_catalog().indicators if i.is_count and not i.stock]
    counts = published_figures(warehouse_ro).filter(pl.col("indicateur").is_in(events))
    keys = ["maille", "code_zone", "indicateur", "annee"]
    semesters = counts.filter(pl.col("type_periode") == "semestre").with_columns(
        pl.col("periode").str.head(4).alias("annee")
    )
    years = counts.filter(pl.col("type_periode") == "annee").select(
        *keys[:3],
        pl.col("periode").alias("annee"),
        pl.col("supprime").alias("an_cache"),
        pl.col("valeur").fill_null(-1).alias("an_valeur"),
    )
    pairs = (
        semesters.join(years, on=keys)
        .group_by(*keys, "an_cache", "an_valeur")
        .agg(pl.col("supprime").sum().alias("caches"), pl.len().alias("semestres"))
        .filter(pl.col("semestres") == 2)
    )
    assert pairs.filter(pl.col("caches") >= 1).height > 0
    given = ~pl.col("an_cache") & (pl.col("an_valeur") != 0) & (pl.col("caches") == 1)
    assert pairs.filter(given).height == 0


def test_a_years_stock_is_its_last_semesters_hidden_or_shown_in_both(
    warehouse_ro: duckdb.DuckDBPyConnection,
) -> None:
    """The present at the end of a year is the present at the end of its last semester (the year
    in progress: its one semester so far): the same figure, so never shown for one and hidden
    for the other."""
    ends = warehouse_ro.table("periodes").pl().select("type_periode", "periode", "fin")
    present = (
        query(warehouse_ro, "cellules_secret")
        .filter(pl.col("indicateur") == "presents_fin")
        .join(ends, on="periode")
    )
    pairs = present.filter(pl.col("type_periode") == "annee").join(
        present.filter(pl.col("type_periode") == "semestre"),
        on=["maille", "code_zone", "fin", "valeur"],
        suffix="_semestre",
    )
    assert pairs.filter(pl.col("cache")).height > 0
    assert pairs.filter(pl.col("cache") != pl.col("cache_semestre")).is_empty()
    tied = (
        query(warehouse_ro, "relations_additives")
        .filter(pl.col("indicateur") == "presents_fin")
        .group_by("relation")
        .agg(pl.col("periode").sort())
    )
    expected = pairs.select(pl.concat_list("periode", "periode_semestre").list.sort())
    assert set(map(tuple, expected.to_series())) <= set(map(tuple, tied["periode"]))


ZONE = ["maille", "code_zone", "periode"]


def _semester_counts(con: duckdb.DuckDBPyConnection) -> Callable[..., pl.DataFrame]:
    """`count(indicator, name, previous=False)`: the semesters' counts of an indicator as `name`
    and `<name>_cache` by zone and semester; `previous`: each under the semester that follows."""
    cells = query(con, "cellules_secret").filter(pl.col("periode").str.contains("-S"))
    semesters = cells["periode"].unique().sort().to_list()
    following = dict(pairwise(semesters))

    def count(indicator: str, name: str, *, previous: bool = False) -> pl.DataFrame:
        rows = cells.filter(pl.col("indicateur") == indicator)
        if previous:
            rows = rows.with_columns(pl.col("periode").replace_strict(following, default=None))
        return rows.select(
            *ZONE, pl.col("valeur").alias(name), pl.col("cache").alias(f"{name}_cache")
        )

    return count


def test_a_hidden_flow_is_not_a_difference_of_shown_stocks(
    warehouse_ro: duckdb.DuckDBPyConnection,
) -> None:
    """File active = present at the end + exits = present at the end of the previous semester +
    entries: where these hold, a hidden exit or entry count never has both stocks shown beside
    it (a pack printing 28 and 16 would give 12 exits back)."""
    count = _semester_counts(warehouse_ro)
    table = (
        count("file_active", "active")
        .join(count("presents_fin", "fin"), on=ZONE)
        .join(count("sorties", "sorties"), on=ZONE)
        .join(count("entrees", "entrees"), on=ZONE)
        .join(count("presents_fin", "debut", previous=True), on=ZONE)
    )
    for flow, stock in (("sorties", "fin"), ("entrees", "debut")):
        holding_hidden = table.filter(
            (pl.col("active") == pl.col(stock) + pl.col(flow))
            & pl.col(f"{flow}_cache")
            & (pl.col(flow) > 0)
        )
        assert holding_hidden.height > 0, flow
        given_back = holding_hidden.filter(~pl.col("active_cache") & ~pl.col(f"{stock}_cache"))
        assert given_back.is_empty(), given_back


def test_a_hidden_flow_is_not_a_difference_of_two_results_since_opening(
    warehouse_ro: duckdb.DuckDBPyConnection,
) -> None:
    """Entries since opening at the end of a semester are those at the end of the previous one
    plus the semester's entries (so for returns to ordinary detention and releases into a job or
    training): where this holds, a hidden flow never has both results shown (a pack printing 392
    and 353 would give 39 entries back); and the four outcomes since opening, which add up to
    the entries since opening, never leave exactly one of the five hidden."""
    count = _semester_counts(warehouse_ro)
    checked = 0
    for result, flow in (
        ("entrees_cumulees", "entrees"),
        ("cumul_retours_detention_ordinaire", "sorties_retour_detention_ordinaire"),
        ("cumul_sorties_emploi_formation", "sorties_emploi_formation"),
    ):
        table = (
            count(result, "fin")
            .join(count(result, "debut", previous=True), on=ZONE)
            .join(count(flow, "flux"), on=ZONE)
        )
        hidden = table.filter(
            (pl.col("fin") == pl.col("debut") + pl.col("flux"))
            & pl.col("flux_cache")
            & (pl.col("flux") > 0)
        )
        checked += hidden.height
        assert hidden.filter(~pl.col("fin_cache") & ~pl.col("debut_cache")).is_empty(), result
    assert checked > 0
    outcomes = ("cumul_presents", "cumul_retours_detention_ordinaire")
    outcomes += ("cumul_sorties_emploi_formation", "cumul_autres_sorties")
    parts = [count(name, name) for name in ("entrees_cumulees", *outcomes)]
    table = parts[0]
    for part in parts[1:]:
        table = table.join(part, on=ZONE)
    assert table.filter(pl.sum_horizontal(outcomes) != pl.col("entrees_cumulees")).is_empty()
    alone = table.filter(
        pl.sum_horizontal(
            pl.col(f"{n}_cache") & (pl.col(n) > 0) for n in ("entrees_cumulees", *outcomes)
        )
        == 1
    )
    assert alone.is_empty(), alone


def test_a_hidden_adjustment_type_is_not_the_total_minus_the_others(
    warehouse_ro: duckdb.DuckDBPyConnection,
) -> None:
    """Releases under a sentence adjustment are the sum of their types (codes.yaml
    `type_amenagement`): where this holds, never exactly one of them hidden (122 − (31 + 26 + 25
    + 16 + 21) gave 3 « autre aménagement » back)."""
    types = [f"amenagements_{code}" for code in load_codes()["type_amenagement"].values]
    cells = query(warehouse_ro, "cellules_secret")

    def count(indicator: str) -> pl.DataFrame:
        rows = cells.filter(pl.col("indicateur") == indicator)
        return rows.select(
            *ZONE, pl.col("valeur").alias(indicator), pl.col("cache").alias(f"{indicator}_cache")
        )

    table = count("sorties_liberation_amenagement")
    for name in types:
        table = table.join(count(name), on=ZONE)
    holding = table.filter(pl.sum_horizontal(types) == pl.col("sorties_liberation_amenagement"))
    members = ["sorties_liberation_amenagement", *types]
    hidden = pl.sum_horizontal(pl.col(f"{n}_cache") & (pl.col(n) > 0) for n in members)
    assert holding.filter(hidden > 0).height > 0
    assert holding.filter(hidden == 1).is_empty()


def test_a_pack_is_rendered_again_only_when_what_it_shows_changes(
    warehouse_ro: duckdb.DuckDBPyConnection,
) -> None:
    """A sum of ETP added in another order (4.800000000000001 for 4.8) is the same figure: the
    pack keeps its fingerprint; one more person is a change."""
    sources = load_sources(
        warehouse_ro, "semestre", SEMESTER, Thresholds(), "essai", datetime.now()
    )
    dataset = departmental_dataset(sources, DEPARTMENTS[0], SEMESTER)
    numerators = pl.col("numerateur")
    noise = replace(dataset, figures=dataset.figures.with_columns(numerators * (1 + 1e-15)))
    more = replace(dataset, figures=dataset.figures.with_columns(numerators + 1))
    assert noise.fingerprint() == dataset.fingerprint()
    assert more.fingerprint() != dataset.fingerprint()


def test_each_department_s_sites_and_total_are_kept_together(published: Published) -> None:
    """In the national table of every site, a department's sites and its total form one row
    group, which the PDF keeps on one page (a total alone at the top of a page was read as
    belonging to nothing)."""
    page = html.unescape(_page(published.national_folder))
    table = page[page.index("avec le total de son département") :]
    groups = re.findall(
        r'<tbody class="groupe">(.*?)</tbody>', table[: table.index("</table>")], re.S
    )
    rows = [re.findall(r'<th scope="row">([^<]+)</th>', group) for group in groups]
    assert len(rows) == len(DEPARTMENTS)
    for group in rows:
        *sites, total = group
        assert (
            sites and total.startswith("Total ") and not any(s.startswith("Total ") for s in sites)
        )


def test_a_page_never_says_the_same_thing_twice_in_a_row(published: Published) -> None:
    """An empty chart says why once (no caption describing a drawing that is not there), and no
    table repeats the heading right above it."""
    for folder in published.folders():
        page = _page(folder)
        figures = re.findall(r'<figure class="graphique".*?</figure>', page, re.S)
        empty = [f for f in figures if "graphique-vide" in f]
        assert all("<figcaption" not in f for f in empty), folder.name
        repeated = re.findall(
            r"<h2[^>]*>([^<]+)</h2>\s*(?:<div[^>]*>\s*)*<table>\s*<caption>\1</caption>", page
        )
        assert repeated == [], folder.name
    assert any("graphique-vide" in _page(f) for f in published.folders())


def test_the_national_rankings_say_why_a_zone_is_left_out(published: Published) -> None:
    """A department or DISP without a dot is named under the chart with what its figure reads
    instead: « secret » is not « livraison manquante »."""
    page = _page(published.national_folder)
    notes = re.findall(r"Non représentés : (.*?)\.</p>", html.unescape(page))
    left_out = published.national.figures.filter(
        (pl.col("periode") == YEAR) & pl.col("valeur").is_null()
    )
    texts: dict[str, set[str]] = {}
    for zone, text in left_out.select("libelle_zone", "texte").iter_rows():
        texts.setdefault(zone, set()).add(text)
    items = [item for note in notes for item in note.split("), ")]
    assert items
    for item in items:
        zone, reason = item.rstrip(")").rsplit(" (", 1)
        assert reason in texts[zone], item


def test_the_national_report_says_which_sites_its_year_covers(published: Published) -> None:
    text = " ".join(visible_text(_page(published.national_folder)).split())
    assert year_coverage_sentence(published.settings.warehouse, YEAR) in text
