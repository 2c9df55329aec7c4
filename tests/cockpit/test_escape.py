"""User text in Markdown elements is literal: links, images, HTML, Streamlit's directives and LaTeX are
escaped, control and invisible characters cannot start a block or reorder the line, and long text is cut.
(That a browser then shows it as text is proved in tests/e2e/test_injection_browser.py.)"""

from __future__ import annotations

import re

import pytest

from cockpit.escape import JOINER, markdown, plain

PUNCTUATION = r"[!-/:-@\[-`{-~]"
HOSTILE = [
    "[x](http://127.0.0.1:9/x)",
    "![x](http://127.0.0.1:9/x.png)",
    "<img src=x onerror=alert(1)><script>alert(2)</script>",
    "http://127.0.0.1:9/bare www.example.com a@example.com",
    ":red[红] :material/home: $x^2$ **bold** `code` ~~del~~ mailto:a@b.c",
    "# heading\n- item\n> quote\n\n---",
    "520000' OR 1=1 --",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_ascii_punctuation_character_is_escaped(text):
    escaped = markdown(text)
    assert not re.search(PUNCTUATION, re.sub(r"\\" + PUNCTUATION, "", escaped)), escaped
    shown = re.sub(r"\\(.)", r"\1", escaped)  # what Markdown makes of it
    assert shown.replace(JOINER, "") == " ".join(text.split())  # the same text, on one line
    # Autolinks are found in that text: http://, www. and e-mail addresses must not be there.
    assert not re.search(r"https?://|www\.|@\w|mailto:\w", shown, re.IGNORECASE), shown


def test_chinese_and_plain_text_read_the_same():
    assert markdown("毕节调减玉米·稳粮方案 2025") == "毕节调减玉米·稳粮方案 2025"
    assert plain("毕节\x00调减\u202e玉米\n方案") == "毕节 调减玉米 方案"


def test_control_and_invisible_characters_go():
    assert markdown("a\x00b\x1b[31mc\r\nd\u202ee\u200bf\tg") == "a b \\[31mc def g"


def test_long_text_is_cut():
    assert markdown("甲" * 500) == "甲" * 199 + "…"
    assert markdown("甲" * 500, limit=None) == "甲" * 500
