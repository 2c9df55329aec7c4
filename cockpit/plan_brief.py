"""A scenario brief to take to a meeting: one zip with an Excel workbook of the plan (summary, change by
crop, the plan county × crop × year, binding constraints, risk band) and the charts as PNG files.

PNGs are rendered from the same Altair charts as the page by ``vl-convert`` (no browser), with the
system's CJK fonts (Debian's fonts-noto-cjk)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import altair as alt
import polars as pl

from cockpit import exports, fmt
from models.crop_plan import CropPlan

_FONTS_REGISTERED = False


def png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """A chart as PNG bytes (vl-convert; fonts from the system's font folders)."""
    import vl_convert as vlc

    global _FONTS_REGISTERED
    if not _FONTS_REGISTERED:
        for folder in ("/usr/share/fonts", "/usr/local/share/fonts"):
            try:
                vlc.register_font_directory(folder)
            except Exception:  # a missing folder is fine: vl-convert falls back to its own fonts
                pass
        _FONTS_REGISTERED = True
    return vlc.vegalite_to_png(chart.to_json(), scale=scale)


def _whole(value: float) -> str:
    """1,234,567 / −1,234 (a real minus: a text cell starting with "-" would be read as a formula)."""
    return f"{value:,.0f}".replace("-", fmt.MINUS)


def workbook(result: CropPlan, names: dict[str, str], labels: Callable[[str], str], lang: str) -> bytes:
    """The plan as an Excel workbook, sheet and column names in the page language."""
    s = dict(result.summary)
    region = f"{names.get(s['region'], s['region_name'])} ({s['region']})"  # ``names`` are in the page language
    summary = pl.DataFrame({
        labels("planner.brief.item"): [labels(f"planner.brief.{k}") for k in (
            "region", "years", "income", "baseline", "objective", "baseline_objective", "p05", "baseline_p05",
            "beats", "moved", "grain_floor", "risk_weight")],
        labels("planner.brief.value"): [
            region, f"{s['first_year']}–{s['last_year']}", *[_whole(s[k]) for k in (
                "income_yuan", "baseline_income_yuan", "objective_yuan", "baseline_yuan", "income_p05_yuan",
                "baseline_income_p05_yuan")],
            f"{s['prob_beats_baseline'] * 100:.0f}%", _whole(s["area_moved_mu"]), _whole(s["grain_floor_mu"]),
            f"{s['risk_weight']:g}"],
    })
    inputs = pl.DataFrame({"input": list(result.inputs.model_dump()),
                           "value": [str(v) for v in result.inputs.model_dump().values()]})
    change = result.area_change().with_columns(pl.col("crop").replace_strict(names, default=pl.col("crop")).alias("name"))
    plan = result.plan.with_columns(pl.col("region_code").replace_strict(names, default=pl.col("region_code")).alias("county"),
                                    pl.col("crop").replace_strict(names, default=pl.col("crop")).alias("crop_name"))
    binding = pl.DataFrame([{"constraint": b["constraint"], "crop": b["crop"] or "", "counties": b["counties"],
                             "shadow_price_yuan": b["shadow_price_yuan"], "unit": b["unit"], "text": b[lang]}
                            for b in result.binding])
    buffer = io.BytesIO()
    import xlsxwriter

    with xlsxwriter.Workbook(buffer) as book:
        for sheet, frame in ((labels("planner.brief.sheet_summary"), summary),
                             (labels("planner.brief.sheet_inputs"), inputs),
                             (labels("planner.brief.sheet_change"), change.select("name", "crop", "base_area_mu", "plan_area_mu", "change_mu")),
                             (labels("planner.brief.sheet_plan"), plan.select("county", "region_code", "crop_name", *result.plan.columns[1:])),
                             (labels("planner.brief.sheet_binding"), binding),
                             (labels("planner.brief.sheet_risk"), result.risk)):
            exports.inert(frame).write_excel(book, worksheet=sheet, autofit=True)
    return buffer.getvalue()


def brief(result: CropPlan, names: dict[str, str], labels: Callable[[str], str], lang: str,
          figures: dict[str, alt.TopLevelMixin]) -> bytes:
    """A zip: ``plan.xlsx`` and one PNG per chart in ``figures`` (file stem → chart)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("plan.xlsx", workbook(result, names, labels, lang))
        for stem, chart in figures.items():
            archive.writestr(f"{stem}.png", png(chart.properties(width=720)))  # the page's charts fill its width
    return buffer.getvalue()
