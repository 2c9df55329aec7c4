"""What an AppTest run put on the screen, for tests to read: the Altair charts (spec and data), and all of
it as one text (every element's message, the charts' specs and data, the tables' cells)."""

from __future__ import annotations

import json

import polars as pl
import pyarrow as pa
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from data_marts import regions


def walk(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from walk(child)


def _frames(element) -> dict[str, pl.DataFrame]:
    frames = {}
    for dataset in element.proto.datasets:
        table = pa.ipc.open_stream(dataset.data.data).read_all()
        if table.num_columns:
            frames[dataset.name] = pl.from_arrow(table)
    return frames


def charts(at: AppTest) -> list[tuple[dict, dict[str, pl.DataFrame]]]:
    """(Vega-Lite spec, {dataset name: frame}) for every Altair chart on the screen, in order."""
    return [(json.loads(element.proto.spec), _frames(element))
            for element in walk(at.main) if getattr(element, "type", "") == "vega_lite_chart"]


def text(at: AppTest) -> str:
    """Everything on the screen (main area and sidebar) as one text."""
    parts = []
    for element in [*walk(at.main), *walk(at.sidebar)]:
        proto = getattr(element, "proto", None)
        if proto is None:
            continue
        parts.append(text_format.MessageToString(proto, as_utf8=True))
        if getattr(element, "type", "") == "vega_lite_chart":
            parts.append(json.dumps(json.loads(proto.spec), ensure_ascii=False))
            parts.extend(str(frame.rows()) for frame in _frames(element).values())
    parts.extend(table.value.to_string() for table in at.dataframe)
    return "\n".join(parts)


def chinese_region_names(shown: str) -> set[str]:
    """The Chinese region names (full, short or compact: 毕节市, 毕节, 黔南州) that occur in ``shown``."""
    found = set()
    for form in regions.FORMS:
        found |= {name for name in regions.names("zh", form).values() if name in shown}
    return found


# Proto fields that Streamlit renders as Markdown: element bodies (markdown, captions, titles, alerts,
# toasts, metric values), labels (widgets, metrics, expanders, tabs) and help tooltips. Options of
# selectboxes and multiselects, text inputs and data frames are plain text and are not listed.
MARKDOWN_FIELDS = {"body", "label", "help"}
PLAIN_ELEMENTS = {"text", "code"}


def _markdown_fields(message, found: list[str]) -> None:
    for field, value in message.ListFields():
        if field.message_type is not None:
            for item in ([value] if hasattr(value, "ListFields") else value):  # one message, or repeated
                _markdown_fields(item, found)
        elif field.name in MARKDOWN_FIELDS and isinstance(value, str):
            found.append(value)


def markdown_texts(at: AppTest) -> list[str]:
    """Every text on the screen (main area, sidebar, toasts) that Streamlit reads as Markdown."""
    found: list[str] = []
    for root in (at.main, at.sidebar, *at.toast):
        for element in walk(root):
            proto = getattr(element, "proto", None)
            if proto is not None and getattr(element, "type", "") not in PLAIN_ELEMENTS:
                _markdown_fields(proto, found)
    return found
