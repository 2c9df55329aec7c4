"""Legal-entity base library (法人基础库), fed by the market regulation administration."""

from data_marts.contracts.model import Column, Contract, Link, rule

ENTITY_TYPES = ["企业", "农民专业合作社", "事业单位", "社会团体", "民办非企业单位", "基金会", "机关", "其他"]
SECTIONS = list("ABCDEFGHIJKLMNOPQRST")

CONTRACT = Contract(
    library="legal_entities",
    table="legal_entities",
    zh="法人基础库",
    en="Legal-entity base library",
    department_zh="省市场监管局",
    department_en="Market Regulation Administration",
    update_cycle="每日",
    sharing_class="无条件共享",
    sharing_note="登记信息无条件共享；法定代表人姓名按有条件共享处理",
    key=("credit_code",),
    columns=(
        Column(name="credit_code", type="text", identifier=True, zh="统一社会信用代码", en="Unified social credit code",
               required=True, pii_kind="credit_code", aliases=("信用代码", "社会信用代码"), rules=(rule("gb32100"),)),
        Column(name="name", type="text", zh="单位名称", en="Name", required=True,
               aliases=("企业名称", "主体名称", "名称")),
        Column(name="entity_type", type="text", zh="主体类型", en="Entity type", required=True,
               aliases=("市场主体类型", "单位类型"), rules=(rule("accepted_values", values=ENTITY_TYPES),)),
        Column(name="region_code", type="text", identifier=True, zh="登记机关行政区划代码", en="Registration county code",
               required=True, aliases=("住所所在地行政区划代码", "所在地区划代码"),
               rules=(rule("region_code", scope="county"),)),
        Column(name="industry_section", type="text", zh="行业门类", en="Industry section (GB/T 4754)",
               required=True, aliases=("国民经济行业门类",), rules=(rule("accepted_values", values=SECTIONS),)),
        Column(name="industry_code", type="text", identifier=True, zh="行业代码", en="Industry division (GB/T 4754)",
               aliases=("国民经济行业代码", "行业大类代码"), rules=(rule("pattern", regex=r"^\d{2}$"),)),
        Column(name="established_date", type="date", zh="成立日期", en="Date established", required=True,
               aliases=("设立日期", "注册日期"), rules=(rule("date_range", min="1949-10-01", max="today"),)),
        Column(name="cancelled_date", type="date", zh="注销日期", en="Date cancelled",
               aliases=("注吊销日期", "吊销日期"),
               rules=(rule("not_before", other="established_date"), rule("date_range", min="1949-10-01", max="today"))),
        Column(name="registered_capital", type="float", zh="注册资本（万元）", en="Registered capital (10k yuan)",
               aliases=("注册资本", "注册资本(万元)"), rules=(rule("range", min=0),)),
        Column(name="employees", type="int", zh="从业人数", en="Employees", aliases=("从业人员", "员工人数"),
               rules=(rule("range", min=0, max=500000),)),
        Column(name="legal_rep", type="text", zh="法定代表人", en="Legal representative", pii_kind="name",
               aliases=("负责人", "法定代表人姓名")),
        Column(name="housing_id", type="text", identifier=True, zh="住所房屋编码", en="Premises housing unit",
               aliases=("房屋编码",)),
        Column(name="updated_at", type="timestamp", zh="更新时间", en="Updated at", aliases=("数据更新时间",)),
    ),
    links=(Link(column="housing_id", library="housing", target_column="housing_id"),),
    timeliness_column="updated_at",
    max_age_days=400,
)
