"""Vintages (数据版本): when a figure was published, so that a newer release replaces an older one.

A vintage is stored as a date (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY), which compare as text in time
order. A load's vintage comes from, in order: ``--vintage``; a 版本：/数据版本：/发布日期： line above the table;
a date in the file name; else today. A vintage that is none of date, month or year, or that lies in the
future, is refused: the economy keeps the newest vintage of every figure, so a wrong one (版本：2099-12-31)
would block every true revision after it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl

from data_marts.checks import rules

KEYS = ("数据版本", "版本", "发布日期")  # metadata lines that give the vintage, in this order
_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$")
_YEAR = re.compile(r"^(\d{4})\s*年?$")
_FILE_DATE = re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")


def normalise(text: str | None) -> str | None:
    """A vintage as stored (2025年3月1日 -> 2025-03-01, 2025年3月 -> 2025-03, 2025年 -> 2025), or None when the
    text is none of date, month or year."""
    text = str(text or "").strip()
    if not text:
        return None
    parsed = rules.parse_series(pl.Series([text]), "date")[0]
    if parsed is not None:
        return parsed.isoformat()
    month = _MONTH.match(text)
    if month:
        number = int(month.group(2) or month.group(3))
        return f"{month.group(1)}-{number:02d}" if 1 <= number <= 12 else None
    year = _YEAR.match(text)
    return year.group(1) if year else None


def problem(text: str | None, today: date, zh: str = "版本", en: str = "the vintage") -> tuple[str, str] | None:
    """Why ``text`` cannot be a vintage, in Chinese and in English (``zh``/``en`` name it), or None."""
    stored = normalise(text)
    if stored is None:
        return (f"{zh}「{text}」不是日期（2025-03-01）、月份（2025-03）或年份（2025）",
                f"{en} {text!r} is not a date (2025-03-01), a month (2025-03) or a year (2025)")
    if stored > today.isoformat()[: len(stored)]:
        return f"{zh}「{text}」晚于今天（{today}）", f"{en} {text!r} is in the future (today is {today})"
    return None


def resolve(explicit: str | None, metadata: dict[str, str], path: Path, today: date) -> tuple[str, str]:
    """(the load's vintage as written, where it came from); today's date when nothing gives one."""
    if explicit:
        return explicit, "given with --vintage"
    for key in KEYS:
        if metadata.get(key):
            return metadata[key], f"the '{key}：' line above the table"
    for match in _FILE_DATE.finditer(path.stem):
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat(), "in the file name"
        except ValueError:
            continue
    return today.isoformat(), "today"
