"""Agriculture base library (农业基础库): county × crop × year, fed by agriculture and rural affairs."""

from data_marts.contracts.model import Column, Contract, rule
from data_marts.crops import CROPS

CONTRACT = Contract(
    library="agriculture",
    table="agriculture",
    zh="农业基础库（种植）",
    en="Agriculture base library (crops)",
    department_zh="省农业农村厅",
    department_en="Agriculture and Rural Affairs Department",
    update_cycle="每年",
    sharing_class="无条件共享",
    key=("county_code", "crop", "year"),
    columns=(
        Column(name="county_code", type="text", identifier=True, zh="区县代码", en="County code", required=True,
               aliases=("行政区划代码",), rules=(rule("region_code", scope="county"),)),
        Column(name="crop", type="text", zh="品种", en="Crop", required=True, aliases=("作物", "产业"),
               rules=(rule("accepted_values", values=[c.code for c in CROPS]),)),
        Column(name="year", type="int", zh="年份", en="Year", required=True,
               rules=(rule("range", min=1949, max="this_year"),)),
        Column(name="area_mu", type="float", zh="种植面积（亩）", en="Area (mu)", required=True,
               aliases=("播种面积（亩）", "种植面积"), rules=(rule("range", min=0),)),
        Column(name="bearing_area_mu", type="float", zh="投产面积（亩）", en="Bearing area (mu)",
               aliases=("投产面积", "采收面积（亩）"), rules=(rule("range", min=0),)),
        Column(name="yield_kg_per_mu", type="float", zh="单产（公斤/亩）", en="Yield (kg/mu)",
               aliases=("单产",), rules=(rule("range", min=0, max=20000),)),
        Column(name="price_yuan_per_kg", type="float", zh="出售价格（元/公斤）", en="Farm-gate price (yuan/kg)",
               aliases=("收购价格（元/公斤）", "价格"), rules=(rule("range", min=0, max=5000),)),
        Column(name="cost_yuan_per_mu", type="float", zh="亩均成本（元）", en="Cost (yuan/mu)",
               aliases=("亩均总成本", "成本（元/亩）"), rules=(rule("range", min=0, max=100000),)),
        Column(name="labour_days_per_mu", type="float", zh="亩均用工（工日）", en="Labour (days/mu)",
               aliases=("用工（工日/亩）",), rules=(rule("range", min=0, max=365),)),
    ),
)
