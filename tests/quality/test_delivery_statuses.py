"""The delivery states are listed once, in codes.yaml (label, gravity, colours): the SQL that
judges each delivery gives exactly those states, no other and none missing."""

from __future__ import annotations

import re

from pipelines.codes import delivery_statuses
from pipelines.paths import SQL_DIR

STATUS_SQL = SQL_DIR / "quality" / "02_statut_livraisons.sql"


def test_the_sql_gives_exactly_the_states_of_the_code_list() -> None:
    text = STATUS_SQL.read_text(encoding="utf-8")
    case = text[text.index("CASE\n") : text.index("END AS statut")]
    given = set(re.findall(r"(?:THEN|ELSE) '(\w+)'", case))
    assert given == {s.code for s in delivery_statuses()}
