"""``cockpit new-panel NAME``: write a working starter panel file for an analyst to edit.

The file it writes uses the one way in for panels (``cockpit/panel.py``): ``PANEL = Panel(...)`` and
``render(ctx)``, a bound-parameter read of a mart and an Altair chart drawn through ``ctx.chart``.
It is discovered and covered by the panel contract test the moment it exists (docs/panels.md).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from cockpit import panel as panels

NAME = re.compile(r"[a-z][a-z0-9_]*")


class ScaffoldError(ValueError):
    """A panel that cannot be written; the message says why and what to do."""


TEMPLATE = '''\
"""所选地区历年地区生产总值 / GDP of the selected region over the years"""

# Written by `cockpit new-panel @NAME@` as a starting point; see docs/panels.md.
# The first docstring line is this panel's subtitle (Chinese / English): describe your panel there.
# Read marts only (mart.<name>), pass every value as a bound parameter (?), draw with ctx.chart or
# ctx.table (they add the CSV/Excel downloads and "how this number was made"), and keep every
# user-facing string in `strings` below in both languages.

from __future__ import annotations

import altair as alt
import streamlit as st

from cockpit.panel import Panel, RegionParam, YearParam

PANEL = Panel(
    id="@THEME@.@NAME@", theme="@THEME@", order=100,
    title={"zh": "地区生产总值走势（@NAME@）", "en": "GDP trend (@NAME@)"},
    marts=["region_profile"],
    params=(RegionParam(), YearParam()),
    strings={
        "year": {"zh": "年份", "en": "Year"},
        "gdp": {"zh": "地区生产总值（亿元）", "en": "GDP (100 million yuan)"},
        "latest": {"zh": "{region}{year}年地区生产总值 {value}", "en": "{region}, GDP in {year}: {value}"},
    },
)


def render(ctx) -> None:
    df = ctx.query(
        "SELECT year, gdp_yi FROM mart.region_profile WHERE region_code = ? AND year <= ? ORDER BY year",
        [ctx.params.region, ctx.params.year],
    )
    if df.is_empty():
        st.info(ctx.t("page.no_data"))
        return
    region = ctx.region_name(ctx.params.region)  # 毕节市 / Bijie: region names in the page language
    st.caption(ctx.t("latest", region=region, year=df["year"][-1], value=ctx.number(df["gdp_yi"][-1], "亿元")))
    chart = alt.Chart(df).mark_bar().encode(
        x=alt.X("year:O", title=ctx.t("year")),
        y=alt.Y("gdp_yi:Q", title=ctx.t("gdp")),
        tooltip=[alt.Tooltip("year:O", title=ctx.t("year")),
                 alt.Tooltip("gdp_yi:Q", title=ctx.t("gdp"), format=",.1f")],
    )
    ctx.chart(chart, df)
'''


def default_folder() -> Path:
    """Where a new panel goes: the first folder of ``COCKPIT_PANELS_PATH``, else ``cockpit/panels``."""
    configured = [p for p in os.environ.get("COCKPIT_PANELS_PATH", "").split(os.pathsep) if p.strip()]
    return Path(configured[0]) if configured else panels.BUILTIN_DIR


def source(name: str, theme: str = "overview") -> str:
    """The text of a starter panel called ``theme.name``."""
    return TEMPLATE.replace("@NAME@", name).replace("@THEME@", theme)


def _used_ids(folders: list[Path]) -> dict[str, Path | None]:
    # Loads the files directly rather than through the cached registry, so that writing a panel
    # never leaves a registry in this process that misses it.
    used = {}
    for folder in folders:
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else ():
            if path.name.startswith("_"):
                continue
            try:
                used[panels.load(path).id] = path
            except panels.PanelError:
                continue  # a broken panel file is reported by the cockpit itself, not here
    return used


def new_panel(name: str, theme: str = "overview", folder: Path | None = None) -> Path:
    """Write ``<folder>/<name>.py``, a working panel ``theme.name``; never overwrites a file."""
    if not NAME.fullmatch(name or ""):
        raise ScaffoldError(f"panel name {name!r} must be lowercase letters, digits and _, starting with a letter "
                            "(e.g. grain_by_county)")
    if theme not in panels.THEMES:
        raise ScaffoldError(f"theme {theme!r} is not one of {', '.join(panels.THEMES)}")
    folder = Path(folder) if folder is not None else default_folder()
    target = folder / f"{name}.py"
    if target.exists():
        raise ScaffoldError(f"{target} already exists; choose another name (nothing was written)")
    panel_id = f"{theme}.{name}"
    used = _used_ids([*panels.folders(), folder])
    if panel_id in used:
        raise ScaffoldError(f"panel id {panel_id!r} is already used by {used[panel_id]}; choose another name")
    folder.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as out:  # "x": refuse to overwrite even in a race
        out.write(source(name, theme))
    return target


def is_discovered(folder: Path) -> bool:
    """Whether panels in ``folder`` are found by the cockpit (built-in or on ``COCKPIT_PANELS_PATH``)."""
    resolved = Path(folder).resolve()
    return any(Path(f).resolve() == resolved for f in panels.folders())
