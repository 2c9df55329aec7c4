"""Macro-economy base library (宏观经济库), fed by the statistics bureau (and finance for revenue).

Long format: one row per region × indicator × period × measure (口径). Statistics-portal exports
(wide, with metadata lines) are turned into this shape by ``data_marts.ingest.statsportal``.
"""

from data_marts.contracts.model import Column, Contract, rule
from data_marts.indicators import INDICATORS, MEASURE_VALUES

CONTRACT = Contract(
    library="economy",
    table="economy",
    zh="宏观经济库",
    en="Macro-economy base library",
    department_zh="省统计局",
    department_en="Statistics Bureau",
    update_cycle="每月",
    sharing_class="无条件共享",
    key=("region_code", "indicator", "period", "measure"),
    columns=(
        Column(name="region_code", type="text", identifier=True, zh="地区代码", en="Region code", required=True,
               aliases=("地区", "行政区划代码", "区划代码"), rules=(rule("region_code", scope="any"),)),
        Column(name="indicator", type="text", zh="指标", en="Indicator", required=True,
               aliases=("指标代码",), rules=(rule("accepted_values", values=[i.code for i in INDICATORS]),)),
        Column(name="period", type="text", zh="时间", en="Period", required=True, aliases=("统计时间", "期别"),
               rules=(rule("pattern", regex=r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$"),)),
        Column(name="measure", type="text", zh="口径", en="Measure", required=True,
               aliases=("数据口径",), rules=(rule("accepted_values", values=list(MEASURE_VALUES)),)),
        Column(name="value", type="float", zh="数值", en="Value", required=True, aliases=("值", "数据")),
        Column(name="unit", type="text", zh="单位", en="Unit", aliases=("计量单位",),
               rules=(rule("unit", indicator="indicator", measure="measure", value="value"),)),
        Column(name="vintage", type="text", zh="数据版本", en="Vintage", aliases=("版本", "发布日期")),
    ),
)
