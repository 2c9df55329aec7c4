"""Real series for ``bench/forecast.py``: loaders of the NBS portal exports (as downloaded) and of the
small files in ``bench/data/real/`` (sources in its README), as one list of series with their family
(annual, quarterly, monthly flow, monthly stock), the Spring Festival kind their indicator would
declare, and whether they are development or held-out data."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "real"
SHARED = Path("/work/shared/data/real")  # the development exports (NBS portal files, as downloaded)


@dataclass(frozen=True)
class Series:
    name: str
    family: str  # annual | quarterly | monthly_flow | monthly_stock
    split: str  # development | held_out
    panel: str  # series whose backtest errors may be pooled for interval calibration
    periods: tuple[str, ...]
    values: tuple[float, ...]

    @property
    def festival(self) -> str | None:
        return {"monthly_flow": "flow", "monthly_stock": "stock"}.get(self.family)


def _month_label(text: str) -> str:
    match = re.fullmatch(r"(\d{4})年(\d{1,2})月", text.strip())
    if not match:
        raise ValueError(f"not a portal month: {text!r}")
    return f"{match.group(1)}-{int(match.group(2)):02d}"


def nbs_monthly(path: Path, family_of) -> list[Series]:
    """A portal export with periods as rows (newest first) and indicators as columns: GBK text,
    ``数据库：``/``时间：`` lines above the header, notes below the table, empty cells for months not
    yet published. Each column becomes one series (oldest first, trailing empty months dropped)."""
    text = path.read_bytes().decode("gb18030")
    rows = list(csv.reader(io.StringIO(text)))
    header = next(i for i, r in enumerate(rows) if r and r[0].strip() == "时间")
    names = rows[header][1:]
    table = []
    for row in rows[header + 1:]:
        if not row or not re.match(r"\d{4}年\d{1,2}月", row[0].strip()):
            break  # the notes under the table
        table.append(row)
    table.reverse()
    out = []
    for j, name in enumerate(names, start=1):
        points = [(_month_label(r[0]), float(r[j])) for r in table if j < len(r) and r[j].strip()]
        family = family_of(name)
        kind = "cpi" if "价格指数" in name else "trade"  # similar series pool: the CPI categories, the two trade flows
        out.append(Series(f"nbs:{name}", family, "development", f"nbs:{kind}",
                          tuple(p for p, _ in points), tuple(v for _, v in points)))
    return out


def _long(path: Path, value: str, key: str = "province") -> dict[str, list[tuple[str, float]]]:
    found: dict[str, list[tuple[str, float]]] = {}
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row[value].strip():
                found.setdefault(row[key], []).append((row["year"], float(row[value])))
    return found


def annual_panel(file: str, value: str, label: str, split: str) -> list[Series]:
    out = []
    for province, points in _long(DATA / file, value).items():
        points.sort()
        out.append(Series(f"{label}:{province}", "annual", split, label,
                          tuple(p for p, _ in points), tuple(v for _, v in points)))
    return out


def money() -> list[Series]:
    with open(DATA / "money_supply_2008_2025.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for column, label, split, last in (("m1_100m_yuan", "M1", "development", "2023-12"),
                                       ("m2_100m_yuan", "M2", "held_out", None),
                                       ("m0_100m_yuan", "M0", "held_out", None)):
        keep = [r for r in rows if last is None or r["month"] <= last]  # M1 was redefined in 2024-01
        out.append(Series(f"pbc:{label}", "monthly_stock", split, f"pbc:{label}",
                          tuple(r["month"] for r in keep), tuple(float(r[column]) for r in keep)))
    return out


def macrodata() -> list[Series]:
    from statsmodels.datasets import macrodata as md

    data = md.load_pandas().data
    periods = tuple(f"{int(y)}-Q{int(q)}" for y, q in zip(data["year"], data["quarter"]))
    columns = ["realgdp", "realcons", "realinv", "realgovt", "realdpi", "cpi", "m1", "tbilrate", "unemp", "pop",
               "infl", "realint"]
    # Twelve different quantities (rates, levels, prices): not a panel of similar series, so none pools.
    return [Series(f"macrodata:{c}", "quarterly", "development", f"macrodata:{c}", periods, tuple(data[c].tolist()))
            for c in columns]


def all_series() -> list[Series]:
    found = []
    if SHARED.exists():
        found += nbs_monthly(SHARED / "nbs_monthly_cpi_trade_2016_2020.csv", lambda name: "monthly_flow")
    found += annual_panel("provincial_gdp_1990_2009.csv", "gdp_100m_yuan", "gdp_1990_2009", "development")
    found += annual_panel("provincial_gdp_2015_2024.csv", "gdp_100m_yuan", "gdp_2015_2024", "held_out")
    found += annual_panel("provincial_population_2000_2019.csv", "population_10k", "population_2000_2019", "held_out")
    found += money()
    found += macrodata()
    return found
