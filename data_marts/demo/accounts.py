"""The demo deployments' sign-in accounts for the local OpenID provider (cockpit/idp.py): the account's
name (its subject), roles, region (None: the deployment's home region) and e-mail. Demo data, like the
rest of this folder: a bureau's accounts live in its own identity provider (docs/sign-in.md).

Each demo region has its own leaders (a Cangzhou deployment has no Bijie); the analyst, planner and
administrator hold the home region in every demo."""

_STAFF = (
    ("分析员", ("analyst",), None, "analyst@demo.invalid"),
    ("规划员", ("planner",), None, "planner@demo.invalid"),
    ("管理员", ("admin",), None, "admin@demo.invalid"),
)

BY_REGION = {
    "520000": (
        ("省领导", ("province_leader",), None, "province.leader@demo.invalid"),
        ("毕节市领导", ("prefecture_leader",), "520500", "bijie.leader@demo.invalid"),
        ("威宁县领导", ("county_leader",), "520526", "weining.leader@demo.invalid"),
        *_STAFF,
    ),
    "130900": (
        ("市领导", ("prefecture_leader",), None, "city.leader@demo.invalid"),
        ("献县领导", ("county_leader",), "130929", "xian.leader@demo.invalid"),
        *_STAFF,
    ),
}


def for_region(home: str) -> tuple[tuple, ...]:
    """The accounts of the demo of ``home``; for a home without a demo of its own, a leader of the home
    region (its role from the home's level) and the staff."""
    if home in BY_REGION:
        return BY_REGION[home]
    from data_marts import regions

    role = {"province": "province_leader", "prefecture": "prefecture_leader"}.get(regions.by_code()[home].level,
                                                                                "county_leader")
    return (("领导", (role,), None, "leader@demo.invalid"), *_STAFF)
