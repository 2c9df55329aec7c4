"""Text the cockpit did not write, shown as text: URL parameters, scenario and saver names, anything read
from a file or typed by a user.

Streamlit reads Markdown in ``st.markdown``, captions, alerts, toasts, widget labels, help texts and
metric values: a link or an image in such text would be live (the browser fetches the image), and
``:red[…]``, ``$…$`` and, where ``unsafe_allow_html`` is on, HTML would be obeyed. ``markdown(text)``
makes any text literal there. Data frames, widget options and text inputs show plain text; ``plain(text)``
keeps it to one clean line where it also names a column or an option."""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of them also
# breaks what is not CommonMark: Streamlit's :colour[…] and :icon: directives, $LaTeX$ and HTML tags
# (\<img …).
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# GitHub's autolinks (http://…, www.…, a@b.c, mailto:…) are found in the text after escapes are undone, so
# escaping cannot stop them: an invisible word joiner after ":" and "@" and inside "www." does.
_AUTOLINK = re.compile(r"(?<=[:@])|(?<=www)(?=\.)", re.IGNORECASE)
JOINER = "\u2060"
# Line breaks, tabs and other control characters would start new Markdown blocks or garble the line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# Invisible characters that reorder or hide text (right-to-left overrides, zero-width characters).
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
LIMIT = 200


def plain(text: object, limit: int | None = LIMIT) -> str:
    """``text`` on one line, without control or invisible characters, at most ``limit`` characters (then
    "…"): for plain-text places where it also names something, such as a table's column or a legend
    (a NUL byte in a column name stops the data frame's conversion for the browser)."""
    line = _CONTROL.sub(" ", _INVISIBLE.sub("", str(text))).strip()
    if limit is not None and len(line) > limit:
        line = line[: limit - 1] + "…"
    return line


def markdown(text: object, limit: int | None = LIMIT) -> str:
    """``text`` as literal Markdown (and HTML): ``plain``, every ASCII punctuation character escaped, and
    a word joiner (U+2060, invisible) where an autolink would start."""
    return _PUNCTUATION.sub(r"\\\1", _AUTOLINK.sub(JOINER, plain(text, limit)))
