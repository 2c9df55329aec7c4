"""County land facts for the agriculture library: arable land, altitude and slope, farm labour."""

from data_marts.contracts.model import Column, Contract, rule

CONTRACT = Contract(
    library="agriculture",
    table="agriculture_land",
    zh="农业基础库（县域耕地与劳动力）",
    en="Agriculture base library (county land and labour)",
    department_zh="省自然资源厅、省农业农村厅",
    department_en="Natural Resources and Agriculture Departments",
    update_cycle="每年",
    sharing_class="无条件共享",
    key=("county_code", "year"),
    columns=(
        Column(name="county_code", type="text", identifier=True, zh="区县代码", en="County code", required=True,
               aliases=("行政区划代码",), rules=(rule("region_code", scope="county"),)),
        Column(name="year", type="int", zh="年份", en="Year", required=True,
               rules=(rule("range", min=1949, max="this_year"),)),
        Column(name="arable_mu", type="float", zh="耕地面积（亩）", en="Arable land (mu)", required=True,
               aliases=("耕地面积",), rules=(rule("range", min=0),)),
        Column(name="paddy_share", type="float", zh="水田占比", en="Paddy share", rules=(rule("range", min=0, max=1),)),
        Column(name="altitude_m", type="float", zh="平均海拔（米）", en="Mean altitude (m)",
               aliases=("平均海拔",), rules=(rule("range", min=-200, max=6000),)),  # Turpan −154 m … Tibet
        Column(name="slope_lt6_share", type="float", zh="坡度6°以下占比", en="Share under 6°",
               rules=(rule("range", min=0, max=1),)),
        Column(name="slope_6_15_share", type="float", zh="坡度6–15°占比", en="Share 6–15°",
               rules=(rule("range", min=0, max=1),)),
        Column(name="slope_15_25_share", type="float", zh="坡度15–25°占比", en="Share 15–25°",
               rules=(rule("range", min=0, max=1),)),
        Column(name="slope_gt25_share", type="float", zh="坡度25°以上占比", en="Share over 25°",
               rules=(rule("range", min=0, max=1),)),
        Column(name="farm_labour", type="float", zh="农业劳动力（人）", en="Farm labour (persons)",
               aliases=("农业从业人员",), rules=(rule("range", min=0),)),
        Column(name="grain_task_mu", type="float", zh="粮食播种面积任务（亩）", en="Grain area task (mu)",
               aliases=("粮食生产任务面积",), rules=(rule("range", min=0),)),
    ),
)
