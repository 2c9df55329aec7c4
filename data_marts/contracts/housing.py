"""Housing base library (房屋基础库), fed by housing & urban-rural development and natural resources."""

from data_marts.contracts.model import Column, Contract, rule

USES = ["住宅", "商业", "办公", "工业", "公共服务", "其他"]
OCCUPANCY = ["自住", "出租", "空置", "其他"]

CONTRACT = Contract(
    library="housing",
    table="housing",
    zh="房屋基础库",
    en="Housing base library",
    department_zh="省住房和城乡建设厅、省自然资源厅",
    department_en="Housing and Natural Resources Departments",
    update_cycle="每月",
    sharing_class="有条件共享",
    sharing_note="精确坐标仅向有职责部门提供；汇总到网格后共享",
    key=("housing_id",),
    columns=(
        Column(name="housing_id", type="text", identifier=True, zh="房屋编码", en="Housing unit ID", required=True,
               aliases=("房屋编号",), rules=(rule("pattern", regex=r"^\d{6}-\d{6}-\d{6}$"),)),
        Column(name="county_code", type="text", identifier=True, zh="所在区县代码", en="County code", required=True,
               aliases=("行政区划代码", "区县代码"), rules=(rule("region_code", scope="county"),)),
        Column(name="grid_id", type="text", identifier=True, zh="网格编码", en="Grid cell", aliases=("网格号",)),
        # China's extent (曾母暗沙 3.9°N … 漠河 53.6°N, 帕米尔 73.5°E … 抚远 135.1°E): any deployment's units
        # pass, and swapped or zero coordinates (the usual keying errors) still fail.
        Column(name="lon", type="float", zh="经度", en="Longitude", required=True,
               rules=(rule("range", min=73.4, max=135.1),)),
        Column(name="lat", type="float", zh="纬度", en="Latitude", required=True,
               rules=(rule("range", min=3.8, max=53.6),)),
        Column(name="use", type="text", zh="房屋用途", en="Use", required=True, aliases=("用途",),
               rules=(rule("accepted_values", values=USES),)),
        Column(name="floor_area", type="float", zh="建筑面积（平方米）", en="Floor area (m²)", required=True,
               aliases=("建筑面积", "建筑面积(平方米)"), rules=(rule("range", min=5, max=200000),)),
        Column(name="build_year", type="int", zh="建成年份", en="Year built", aliases=("竣工年份",),
               rules=(rule("range", min=1900, max="this_year"),)),
        Column(name="occupancy", type="text", zh="使用状态", en="Occupancy", aliases=("居住状态",),
               rules=(rule("accepted_values", values=OCCUPANCY),)),
        Column(name="updated_at", type="timestamp", zh="更新时间", en="Updated at", aliases=("数据更新时间",)),
    ),
    timeliness_column="updated_at",
    max_age_days=400,
)
