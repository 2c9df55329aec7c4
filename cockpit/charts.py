"""One cockpit theme for every Altair chart: a CJK-capable font, the cockpit palette, quiet axes.

The font list names fonts a Chinese desktop or Debian's fonts-noto-cjk provides; the browser picks
the first it has, and nothing is fetched from the network.
"""

from __future__ import annotations

import altair as alt

FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
PALETTE = ["#C0392B", "#2E6DB4", "#E39B2B", "#3A9D6B", "#7A4EA3", "#5F6B7A", "#D0647A", "#1F9AA8"]
SEQUENTIAL = "reds"


@alt.theme.register("cockpit", enable=True)
def cockpit_theme() -> alt.theme.ThemeConfig:
    return alt.theme.ThemeConfig({
        "config": {
            "font": FONT,
            "title": {"font": FONT, "fontSize": 15, "anchor": "start", "color": "#1F2933"},
            "axis": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "titleFontSize": 12,
                     "gridColor": "#E5E8EC", "domainColor": "#9AA5B1", "tickColor": "#9AA5B1"},
            "legend": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "titleFontSize": 12},
            "header": {"labelFont": FONT, "titleFont": FONT},
            "range": {"category": PALETTE},
            "view": {"stroke": None},
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0], "strokeWidth": 2},
            "area": {"color": PALETTE[0]},
        }
    })


def top_legend(**options) -> alt.Legend:
    """A legend above the chart that wraps: as many ~150 px columns as the chart's width holds. A plain
    top legend is one row that does not wrap, and on a phone its last items were cut off at the edge."""
    options.setdefault("columns", alt.ExprRef("max(1, floor(containerSize()[0] / 150))"))
    return alt.Legend(orient="top", **options)


def enable() -> None:
    """Make the cockpit theme current (registering already enables it; this is for clarity at start-up)."""
    alt.theme.enable("cockpit")


def ranked_bars(data, highlight: str, title: str, name_title: str, rank_title: str,
                subtitle: str | None = None) -> alt.LayerChart:
    """Horizontal bars in rank order with each bar's formatted value beside it, the region of interest
    in the accent colour. ``data`` has columns rank, code, short_name, name, value, shown, move.

    A chart title is drawn on one line and cut to the chart's width, so a long one is broken after its
    comma (Budget revenue, / growth year to date (%)), and a note (a sample rate) goes underneath."""
    values = [v for v in data["value"].to_list() if v is not None]
    low, high = min([*values, 0]), max([*values, 0])
    bars = alt.Chart(data).encode(
        y=alt.Y("short_name:N", sort=alt.EncodingSortField("rank"), title=None),
        # Each bar carries its formatted value instead of an axis, written right of its end: leave room for
        # it (on a phone the longest bar's "1.69 million persons" was cut at the chart's edge).
        x=alt.X("value:Q", axis=None, scale=alt.Scale(domain=[low, high + 0.6 * (high - low or 1)], nice=False)),
        tooltip=[alt.Tooltip("name:N", title=name_title), alt.Tooltip("shown:N", title=title),
                 alt.Tooltip("move:N", title=rank_title)],
    )
    here = alt.datum.code == highlight
    return (bars.mark_bar().encode(color=alt.when(here).then(alt.value(PALETTE[0])).otherwise(alt.value(PALETTE[1])))
            + bars.mark_text(align="left", dx=4, fontSize=11, color="#1F2933").encode(text="shown:N")
            ).properties(height=40 + 28 * len(data), title=alt.TitleParams(
                title.replace(", ", ",\n", 1).split("\n") if len(title) > 28 else title, subtitle=subtitle or alt.Undefined))
