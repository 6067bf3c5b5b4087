"""How a caption says « in » and « of » a department: from the article of its official name."""

from __future__ import annotations

import pytest

from pipelines.referentials import department_phrases, read_geography

# (code, name as written, article of the official name) → the phrases French uses.
CASES = [
    ("13", "dans les Bouches-du-Rhône", "des Bouches-du-Rhône"),  # les
    ("02", "dans l'Aisne", "de l'Aisne"),  # l'
    ("56", "dans le Morbihan", "du Morbihan"),  # le
    ("19", "en Corrèze", "de la Corrèze"),  # la: « en » before a feminine name
    ("86", "dans la Vienne", "de la Vienne"),  # la, but a river's name: « dans la »
    ("50", "dans la Manche", "de la Manche"),  # the sea's
    ("77", "en Seine-et-Marne", "de Seine-et-Marne"),  # no article
    ("28", "en Eure-et-Loir", "d'Eure-et-Loir"),  # no article, a vowel
    ("75", "à Paris", "de Paris"),  # a city
    ("974", "à La Réunion", "de La Réunion"),  # an island
]


@pytest.mark.parametrize(("code", "within", "of"), CASES)
def test_a_department_is_named_with_its_article(code: str, within: str, of: str) -> None:
    assert department_phrases()[code] == (within, of)


def test_every_department_has_both_phrases_around_its_name() -> None:
    names = dict(
        read_geography("departements.csv").select("code_departement", "nom_departement").iter_rows()
    )
    phrases = department_phrases()
    assert phrases.keys() == names.keys()
    for code, (within, of) in phrases.items():
        assert within.endswith(names[code]) and of.endswith(names[code]), code
        assert within.split()[0] in {"dans", "en", "à"}, within
