"""The manifest lists every injected defect, and nothing else is wrong in the inbox.

Each data row is checked against an independent statement of the contracts' error rules: a row
named in the manifest breaks exactly its rule; every other row breaks none.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from gen_reader import Generated, Sheet, parse_name
from gen_rules import FollowUpRights, file_failures, follow_up_rights, known_rules

from generator.referential import load_sites
from pipelines.periods import Semester

pytestmark = pytest.mark.lent


@pytest.fixture(scope="module")
def all_sheets(sheets: dict[str, Sheet]) -> dict[str, Sheet]:
    return sheets


@pytest.fixture(scope="module")
def failures(all_sheets: dict[str, Sheet]) -> dict[str, dict[int, set[str]]]:
    openings = {s.code: s.opening for s in load_sites()}
    by_site: dict[str, list[Sheet]] = defaultdict(list)
    for name, sheet in all_sheets.items():
        parsed = parse_name(name)
        if parsed.export == "parcours":
            by_site[parsed.site].append(sheet)
    rights = {site: follow_up_rights(sheets) for site, sheets in by_site.items()}
    out = {}
    for name, sheet in all_sheets.items():
        parsed = parse_name(name)
        out[name] = file_failures(
            sheet,
            parsed.export,
            Semester.parse(parsed.period),
            openings.get(parsed.site),
            rights.get(parsed.site, FollowUpRights()),
        )
    return out


def test_every_defect_points_at_a_data_row_of_an_existing_file(
    generated: Generated, all_sheets: dict
) -> None:
    assert generated.manifest["defects"]
    for defect in generated.manifest["defects"]:
        assert (generated.inbox / defect["file"]).exists(), defect
        lines = {line for line, _ in all_sheets[defect["file"]].rows}
        assert defect["line"] in lines, defect


def test_every_defect_names_a_contract_rule_and_its_column(generated: Generated) -> None:
    for defect in generated.manifest["defects"]:
        rules = known_rules(parse_name(defect["file"]).export)
        assert defect["rule"] in rules, defect
        assert defect["column"] == rules[defect["rule"]], defect


def test_defective_rows_break_exactly_their_rule_and_clean_rows_none(
    generated: Generated, failures: dict
) -> None:
    expected: dict[tuple[str, int], set[str]] = defaultdict(set)
    for defect in generated.manifest["defects"]:
        expected[(defect["file"], defect["line"])].add(defect["rule"])
    for name, lines in failures.items():
        for line, broken in lines.items():
            assert broken == expected.get((name, line), set()), (name, line, broken)


def test_defect_rate_and_variety(generated: Generated, all_sheets: dict) -> None:
    defects = generated.manifest["defects"]
    site_rows = sum(len(s.rows) for n, s in all_sheets.items() if parse_name(n).site != "national")
    row_defects = [d for d in defects if d["kind"] != "truncated"]
    assert 0.002 < len(row_defects) / site_rows < 0.006
    rules = Counter(d["rule"] for d in defects)
    assert len(rules) > 25
    assert {
        "parcours_unique",
        "suivi_liberation_sans_mesure",
        "heures_plausibles",
        "sortie_apres_entree",
    } <= set(rules)
    assert rules["parcours_unique"] % 2 == 0  # both lines of each duplicate
    assert not any(d["rule"] in ("quantum_hors_eligibilite", "statut_prevenu") for d in defects)


def test_truncated_files_end_inside_their_last_row(generated: Generated, all_sheets: dict) -> None:
    truncated = [d for d in generated.manifest["defects"] if d["kind"] == "truncated"]
    assert truncated
    for defect in truncated:
        data = (generated.inbox / defect["file"]).read_bytes()
        assert not data.endswith((b"\n", b"\r"))
        sheet = all_sheets[defect["file"]]
        last_line, last_cells = sheet.rows[-1]
        assert last_line == defect["line"]
        assert len(last_cells) < len(sheet.header)
        assert defect["rule"] == f"obligatoire_{defect['column']}"


def test_resubmissions_identical_and_corrected(generated: Generated, failures: dict) -> None:
    entries = generated.manifest["resubmissions"]
    assert {e["identical"] for e in entries} == {True, False}
    superseded = {d["file"] for d in generated.manifest["defects"] if d["superseded"]}
    for entry in entries:
        new, old = generated.inbox / entry["file"], generated.inbox / entry["replaces"]
        assert parse_name(entry["file"]).suffix in (" (1)", "_v2")
        new_name, old_name = parse_name(entry["file"]), parse_name(entry["replaces"])
        assert (new_name.site, new_name.export, new_name.period) == (
            old_name.site,
            old_name.export,
            old_name.period,
        )
        assert new.stat().st_mtime > old.stat().st_mtime
        assert (
            datetime.fromtimestamp(new.stat().st_mtime, tz=UTC)
            .isoformat()
            .startswith(entry["arrival"][:10])
        )
        if entry["identical"]:
            assert new.read_bytes() == old.read_bytes()
            assert entry["replaces"] not in superseded
        else:
            assert new.read_bytes() != old.read_bytes()
            assert entry["replaces"] in superseded
            assert not any(failures[entry["file"]].values())  # the corrected file is clean
    assert all(d["superseded"] == (d["file"] in superseded) for d in generated.manifest["defects"])


def test_manifest_is_beside_the_inbox_not_inside(generated: Generated) -> None:
    path: Path = generated.summary.manifest_path
    assert path.name == f"{generated.inbox.name}_manifeste.json"
    assert not any(p.suffix == ".json" for p in generated.inbox.iterdir())
    assert generated.manifest["seed"] == 2016 and generated.manifest["scale"] == 1.0
