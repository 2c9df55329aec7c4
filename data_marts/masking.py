"""Masking of person-level values wherever they can surface outside ``base.*``: rejected rows, quality
examples, exports. One rule per kind of identifying column (``Column.pii_kind`` in the contracts):

- ``id_number``   5201**********123X (first 4 and last 4 kept; a 15-digit old number 5201*******1234)
- ``credit_code`` 9152**********013J (as an ID number: a sole proprietor's code identifies a person)
- ``phone``       138****5678 (first 3 and last 4)
- ``name``        张* / 欧阳** (the first character)
- ``address``     河北省沧州市**** (the first 6 characters at most, never more than half)
- ``text``        anything else declared PII, or a header we cannot place: as an ID number if 8
                  characters or longer, else the first character

``None`` stays ``None`` and ``""`` stays ``""``; a value of one character is ``*``. Masking is for
display only: the stored row is never changed, and an admin may see one record whole, with a stated
reason, through the audited unmask (cockpit/quarantine.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal

PiiKind = Literal["id_number", "credit_code", "phone", "name", "address", "text"]
KINDS: tuple[str, ...] = ("id_number", "credit_code", "phone", "name", "address", "text")


def _ends(text: str, head: int, tail: int) -> str:
    return text[:head] + "*" * (len(text) - head - tail) + text[len(text) - tail:]


def _first(text: str) -> str:
    return "*" if len(text) == 1 else text[:1] + "*" * (len(text) - 1)


def mask(value: object, kind: str = "text") -> str | None:
    """``value`` as shown to anyone but an admin who unmasked it: see the module docstring per kind."""
    if value is None:
        return None
    text = str(value)
    if not text:
        return text
    if kind not in KINDS:
        raise ValueError(f"unknown PII kind {kind!r}; one of {', '.join(KINDS)}")
    if kind == "name":
        return _first(text)
    if kind == "phone":
        return _ends(text, 3, 4) if len(text) >= 10 else _first(text)
    if kind == "address":
        keep = min(6, len(text) // 2)
        return text[:keep] + "****" if keep else "*"
    # id_number, credit_code, text: 4 + 4 kept once there is something in between to hide
    return _ends(text, 4, 4) if len(text) >= 9 else _first(text)


# A token of 15-20 letters and digits holding at least 8 digits: an ID number (15 or 18), a credit code (18),
# or something derived from one (the 18-digit form of a legacy ID, a number Excel stored as a float).
_IDENTIFIER_SHAPED = re.compile(r"(?<![0-9A-Za-z])(?=(?:[A-Za-z]*[0-9]){8})[0-9A-Za-z]{15,20}(?![0-9A-Za-z])")
# A mainland mobile number standing alone (11 digits from 13x-19x).
_MOBILE_SHAPED = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def mask_identifiers(text: str | None) -> str | None:
    """``text`` with every ID-number-, credit-code- or mobile-number-shaped part masked: what an example
    or a reason shows outside quarantine, wherever the value came from."""
    if not text:
        return text
    text = _IDENTIFIER_SHAPED.sub(lambda found: mask(found.group(0), "id_number"), text)
    return _MOBILE_SHAPED.sub(lambda found: mask(found.group(0), "phone"), text)


def mask_text(text: str | None, values: Iterable[tuple[str | None, str]]) -> str | None:
    """``text`` (a reason, an example) with each of ``values`` — (value, kind) pairs, the PII of the row it
    speaks of — replaced by its mask, then every identifier-shaped part masked."""
    if not text:
        return text
    for value, kind in sorted(((v, k) for v, k in values if v), key=lambda pair: -len(pair[0])):
        text = text.replace(value, mask(value, kind))
    return mask_identifiers(text)


def mask_row(row: Mapping[str, object], kinds: Mapping[str, str | None]) -> dict[str, object]:
    """A raw row (header -> value) masked for display. ``kinds`` maps every header the contract knows to its
    PII kind, or None for a column that is not personal; a header it does not know is masked as ``text``
    (fail closed: a mapping file may have renamed a personal column). Every value is also searched for
    identifier-shaped text."""
    shown: dict[str, object] = {}
    for header, value in row.items():
        if value is None or isinstance(value, (int, float, bool)):
            value = None if value is None else str(value)
        if header not in kinds:
            shown[header] = mask(value, "text")
        elif kinds[header]:
            shown[header] = mask(value, kinds[header])
        else:
            shown[header] = mask_identifiers(value) if isinstance(value, str) else value
    return shown
