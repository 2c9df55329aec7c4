"""Downloads are inert: a text cell that a spreadsheet would read as a formula comes out with a leading
', in the CSV and Excel of every chart and table (ctx.chart, ctx.table) and in the planner's brief;
numbers stay numbers."""

from __future__ import annotations

import io
import zipfile

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from cockpit import exports, plan_brief
from cockpit.i18n import CATALOG
from models.crop_plan import CropPlanner, PlanInputs
from tests.models.crop_plan_instances import hand

FORMULAS = ['=HYPERLINK("http://127.0.0.1:9/x","click")', "+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
SAFE = ["毕节市", "a-b", "2+3", " -1", None]
HOSTILE = pl.DataFrame({"name": [*FORMULAS, *SAFE],
                        "income": [1.5, -2.0, 3.0, -4.25, 5.0, 6.0, -7.0, 8.0, 9.0, -10.0, 11.0],
                        "rank": list(range(-5, 6))})


def expected_names() -> list[str | None]:
    return [f"'{text}" for text in FORMULAS] + SAFE


def test_inert_prefixes_formula_text_and_leaves_numbers():
    made = exports.inert(HOSTILE)
    assert made["name"].to_list() == expected_names()
    assert made["income"].to_list() == HOSTILE["income"].to_list() and made.schema["income"] == pl.Float64
    assert made["rank"].to_list() == HOSTILE["rank"].to_list() and made.schema["rank"] == pl.Int64


def test_categorical_cells_and_column_names_too():
    frame = pl.DataFrame({"=cmd|' /C calc'!A0": ["@x", "y"]}).with_columns(pl.all().cast(pl.Categorical))
    made = exports.inert(frame)
    assert made.columns == ["'=cmd|' /C calc'!A0"] and made.to_series().to_list() == ["'@x", "y"]


def read_csv(data: bytes) -> pl.DataFrame:
    assert data.startswith("\ufeff".encode())  # Excel reads the Chinese as UTF-8
    return pl.read_csv(io.BytesIO(data), schema_overrides={"name": pl.String})


def test_csv_and_excel_files_are_inert():
    for frame in (read_csv(exports.csv(HOSTILE)), pl.read_excel(io.BytesIO(exports.excel(HOSTILE)))):
        assert frame["name"].to_list() == expected_names()
        assert frame["income"].to_list() == HOSTILE["income"].to_list()
        assert frame["rank"].to_list() == HOSTILE["rank"].to_list()


# -- the download buttons under every chart and table ----------------------------------------------

def _footer(kind: str) -> None:
    """Draw a table or chart through ctx with the hostile frame, keeping what each download button
    would hand out (the buttons make their files when clicked, after the run)."""
    import altair as alt
    import streamlit as st
    from streamlit.delta_generator import DeltaGenerator

    from cockpit import panel
    from cockpit.context import Ctx, PageParams
    from tests.cockpit.test_exports import HOSTILE

    files = st.session_state.setdefault("files", {})
    button = DeltaGenerator.download_button

    def keep(self, label, data, file_name=None, *args, **kwargs):
        files[file_name] = data() if callable(data) else data
        return button(self, label, data, file_name, *args, **kwargs)

    DeltaGenerator.download_button = keep
    try:
        ctx = Ctx(panel=panel.registry()[0], params=PageParams(region="520500", year=2024))
        if kind == "table":
            ctx.table(HOSTILE, name="hostile")
        else:
            ctx.chart(alt.Chart(HOSTILE).mark_bar().encode(x="income:Q", y="name:N"), HOSTILE, name="hostile")
    finally:
        DeltaGenerator.download_button = button


@pytest.mark.parametrize("kind", ["table", "chart"])
def test_the_downloads_under_a_table_or_chart_are_inert(kind):
    at = AppTest.from_function(_footer, args=(kind,)).run()
    assert not at.exception, at.exception
    files = at.session_state["files"]
    (csv_name,) = [name for name in files if name.endswith(".csv")]
    (xlsx_name,) = [name for name in files if name.endswith(".xlsx")]
    for frame in (read_csv(files[csv_name]), pl.read_excel(io.BytesIO(files[xlsx_name]))):
        assert frame["name"].to_list() == expected_names()
        assert frame["income"].to_list() == HOSTILE["income"].to_list()


def test_the_planner_brief_is_inert():
    result = CropPlanner(PlanInputs(region="520100", years=2), monte_carlo=50).fit(hand()).result_
    names = {"corn": "=HYPERLINK(\"http://127.0.0.1:9/x\")", "vegetables": "+蔬菜", "tea": "@茶叶",
             "520101": "-2+3县"}
    label = lambda key: CATALOG[key]["zh"]  # noqa: E731
    archive = zipfile.ZipFile(io.BytesIO(plan_brief.brief(result, names, label, "zh", {})))
    sheets = pl.read_excel(io.BytesIO(archive.read("plan.xlsx")), sheet_id=0)
    plan = sheets[CATALOG["planner.brief.sheet_plan"]["zh"]]
    assert set(plan["county"]) == {"'-2+3县"}
    assert set(plan["crop_name"]) == {"'=HYPERLINK(\"http://127.0.0.1:9/x\")", "'+蔬菜", "'@茶叶"}
    assert plan["area_mu"].dtype.is_numeric()
    change = sheets[CATALOG["planner.brief.sheet_change"]["zh"]]
    assert all(name.startswith("'") for name in change["name"])
    summary = sheets[CATALOG["planner.brief.sheet_summary"]["zh"]][CATALOG["planner.brief.value"]["zh"]]
    assert not [cell for cell in summary if cell.startswith(exports.FORMULA_START)]  # negatives: a real minus
