"""Every check rule and severity a warehouse can hold has words in Chinese and English
(data_marts/checks/labels.py): the vocabulary, the loader's own rules, the set-level checks, and
whatever the demo warehouse's meta.quality actually holds."""

from __future__ import annotations

import re

import duckdb
import pytest

from data_marts.checks import dataset, labels, rules
from data_marts.ingest import loader


def _set_level_rules() -> set[str]:
    """The rule names the set-level checks write, read from their source (``rule="links"``)."""
    source = open(dataset.__file__, encoding="utf-8").read()
    return set(re.findall(r'\brule="([a-z_0-9]+)"', source))


def test_the_set_level_rules_are_found_in_their_source():
    assert {"unique", "links", "timeliness"} <= _set_level_rules()


ALL_RULES = sorted(set(rules._VOCABULARY) | _set_level_rules() | {
    loader.EXTRA_RULE, loader.NUMBER_RULE, loader.UNIQUE_RULE, loader.VINTAGE_RULE})


@pytest.mark.parametrize("code", ALL_RULES)
def test_every_rule_has_words_in_both_languages(code):
    zh, en = labels.RULES[code]
    assert zh and en and zh != code and en != code
    assert re.search(r"[\u4e00-\u9fff]", zh), f"{code}: the Chinese label has no Chinese"
    assert not re.search(r"[\u4e00-\u9fff]", en), f"{code}: the English label has Chinese in it"
    assert labels.rule(code, "zh") == zh and labels.rule(code, "en") == en


def test_the_warehouse_holds_only_labelled_rules_and_severities(warehouse):
    found = warehouse.execute("SELECT DISTINCT rule, severity FROM meta.quality").fetchall()
    assert found
    for rule, severity in found:
        assert rule in labels.RULES, f"meta.quality holds rule {rule!r} with no label"
        assert severity in labels.SEVERITIES, f"meta.quality holds severity {severity!r} with no label"
    for code, (zh, en) in labels.SEVERITIES.items():
        assert zh and en and code not in (zh, en)


def test_an_unknown_code_is_shown_as_it_is():
    assert labels.rule("a_newer_rule", "zh") == "a_newer_rule"
    assert labels.severity("block", "en") == "block"
