"""Headline indicators of ``mart.region_profile`` that maps and rankings let a leader pick from.

(key, column, stored unit, counted from the person/entity sample?) — all higher-is-better. The
key names the panel string that labels it; a sampled count is divided by the sample rate for display.
"""

PROFILE_KPIS = [
    ("population", "population", "人", True),
    ("gdp", "gdp_yi", "亿元", False),
    ("gdp_growth", "gdp_growth_pct", "%", False),
    ("retail", "retail_yi", "亿元", False),
    ("fiscal", "fiscal_revenue_yi", "亿元", False),
    ("income", "disposable_income_yuan", "元", False),
    ("entities", "entities_stock", "家", True),
    ("entities_new", "entities_new", "家", True),
]
