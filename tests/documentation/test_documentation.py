"""The generated documentation pages: committed as their sources give them, and complete."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from pipelines.catalog import load_catalog
from pipelines.codes import load_codes
from pipelines.contracts import load_contract
from pipelines.documentation import indicators
from pipelines.documentation.exports import DOCUMENTED
from pipelines.documentation.generate import DOCS_DIR, PAGES, render_pages
from pipelines.documentation.markdown import markdown_text, table_cell
from pipelines.paths import PROJECT_ROOT
from pipelines.validation.rules import SEVERITY_FR


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {path.name: text for path, text in render_pages().items()}


def test_committed_pages_are_what_make_docs_writes(pages: dict[str, str]) -> None:
    for name, text in pages.items():
        path = DOCS_DIR / name
        committed = path.read_text(encoding="utf-8") if path.exists() else None
        assert committed == text, (
            f"{path.relative_to(PROJECT_ROOT)} ne correspond plus à ses sources : lancez `make docs` "
            "(la page est générée, ne la modifiez pas à la main)."
        )


def test_every_generated_page_is_rendered(pages: dict[str, str]) -> None:
    assert set(pages) == set(PAGES)


def _section(text: str, heading: str) -> str:
    """From a heading line to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = text.index(f"\n{heading}\n")
    ends = [
        m.start()
        for m in re.finditer(r"\n(#+) ", text[start + 1 :])
        if len(m.group(1)) <= len(level)
    ]
    return text[start : start + 1 + ends[0]] if ends else text[start:]


def test_exports_page_lists_each_contract_column_and_rule(pages: dict[str, str]) -> None:
    text = pages["exports.md"]
    for name in DOCUMENTED:
        contract = load_contract(name)
        section = _section(text, f"## `{name}` (contrat {contract.version})")
        for column in contract.columns:
            required = "oui" if column.required else "non"
            assert re.search(rf"^\| `{column.name}` \| [^|]+ \| {required} \|", section, re.M)
        for rule in contract.rules:
            row = f"| `{rule.name}` | {SEVERITY_FR[rule.severity]} | `{rule.column}` |"
            assert row in section
            assert table_cell(rule.correction) in section


def test_exports_page_lists_each_code_with_its_label(pages: dict[str, str]) -> None:
    text = pages["exports.md"]
    for nomenclature in load_codes().nomenclatures.values():
        section = _section(text, f"### `{nomenclature.name}` — {nomenclature.libelle}")
        for code in nomenclature.codes:
            assert f"| `{code.code}` | {table_cell(code.libelle)} |" in section
    parcours = _section(text, f"## `parcours` (contrat {load_contract('parcours').version})")
    assert "codes : `liberation_fin_de_peine`, `liberation_amenagement`" in parcours


def test_indicators_page_gives_each_indicator_under_its_theme(pages: dict[str, str]) -> None:
    text = pages["indicateurs.md"]
    catalog = load_catalog()
    for indicator in catalog.indicators:
        section = _section(text, f"## {catalog.themes[indicator.theme]}")
        entry = _section(section, f"### {indicator.libelle}")
        assert f"Identifiant : `{indicator.id}`." in entry
        assert markdown_text(indicator.definition) in entry
        assert f"- **Numérateur** : {markdown_text(indicator.numerateur)}\n" in entry
        if indicator.denominateur:
            assert f"- **Dénominateur** : {markdown_text(indicator.denominateur)}\n" in entry
        else:
            assert "**Dénominateur**" not in entry
        assert f"- **Unité** : {indicators.UNITS[indicator.unite]}\n" in entry


def test_a_catalog_change_makes_the_committed_page_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = load_catalog()
    changed = replace(catalog.indicators[0], definition="Définition modifiée pour le test.")
    edited = replace(catalog, indicators=(changed, *catalog.indicators[1:]))
    monkeypatch.setattr(indicators, "load_catalog", lambda: edited)
    rendered = render_pages()[DOCS_DIR / "indicateurs.md"]
    assert "Définition modifiée pour le test." in rendered
    assert rendered != (DOCS_DIR / "indicateurs.md").read_text(encoding="utf-8")


def test_name_patterns_stay_visible_in_markdown() -> None:
    # `<type>` would be read as an HTML tag and vanish from the rendered page.
    assert (
        markdown_text("fichier <code_site>_parcours_<période>.csv ou .xlsx.")
        == "fichier `<code_site>_parcours_<période>.csv` ou .xlsx."
    )
    assert table_cell("a | b\n  c") == "a \\| b c"
