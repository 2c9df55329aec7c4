"""The Guizhou demo's sign-in accounts for the local OpenID provider (cockpit/idp.py): the account's
name (its subject), roles and region; None is the deployment's home region. Demo data, like the rest of
this folder: a bureau's accounts live in its own identity provider (docs/sign-in.md)."""

ACCOUNTS = (
    ("省领导", ("province_leader",), None, "province.leader@demo.invalid"),
    ("毕节市领导", ("prefecture_leader",), "520500", "bijie.leader@demo.invalid"),
    ("威宁县领导", ("county_leader",), "520526", "weining.leader@demo.invalid"),
    ("分析员", ("analyst",), None, "analyst@demo.invalid"),
    ("规划员", ("planner",), None, "planner@demo.invalid"),
    ("管理员", ("admin",), None, "admin@demo.invalid"),
)
