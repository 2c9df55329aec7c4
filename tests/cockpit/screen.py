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
