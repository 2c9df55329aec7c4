"""The catalog (cockpit/i18n.py) and every panel's own strings are complete: each key has a Chinese and
an English text, the English has no Chinese in it (bar the language picker, which names both), and both
take the same placeholders (one may leave one out)."""

from __future__ import annotations

import re
import string

import pytest

from cockpit import panel as panels
from cockpit.i18n import CATALOG

HAN = re.compile(r"[\u4e00-\u9fff]")
# Texts whose English names Chinese on purpose: the language picker, and statistics-portal file names a
# bureau must type as they are.
BILINGUAL = {"lang.label"}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _entries():
    for key, texts in CATALOG.items():
        yield f"catalog:{key}", key, texts
    for item in panels.registry():
        for key, texts in item.strings.items():
            yield f"{item.id}:{key}", key, texts


@pytest.mark.parametrize("where,key,texts", list(_entries()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_string_has_chinese_and_english(where, key, texts):
    assert set(texts) == {"zh", "en"}, f"{where}: languages {sorted(texts)}"
    assert texts["zh"].strip() and texts["en"].strip(), f"{where}: an empty text"
    # One language may leave a value out ("its growth target" for "{name}年度目标增速"), never add one.
    assert _fields(texts["en"]) <= _fields(texts["zh"]) or _fields(texts["zh"]) <= _fields(texts["en"]), \
        f"{where}: the languages take different placeholders"
    if key not in BILINGUAL:
        chinese = HAN.findall(re.sub(r"（[^）]*）|\([^)]*\)|`[^`]*`", "", texts["en"]))
        assert not chinese, f"{where}: Chinese in the English text: {texts['en']!r}"
