"""What a reader sees for a check: each rule and severity in words (zh, en), never its code.

Every rule kind of the vocabulary (``rules.kind``), every set-level check (``dataset``) and every rule
the loader writes itself has an entry here; tests/data_marts/test_labels.py fails when one is missing.
"""

from __future__ import annotations

RULES: dict[str, tuple[str, str]] = {
    # row rules (data_marts/checks/rules.py): a row that breaks one is quarantined
    "required": ("必填项缺失", "required value missing"),
    "type": ("类型或格式错误", "wrong type or format"),
    "control_chars": ("含不可见控制字符", "hidden control characters"),
    "gb11643": ("校验不通过（GB 11643）", "fails the GB 11643 check"),
    "gb32100": ("校验不通过（GB 32100）", "fails the GB 32100 check"),
    "region_code": ("行政区划代码无效", "invalid region code"),
    "unit": ("计量单位与指标不符", "unit does not fit the indicator"),
    "accepted_values": ("取值不在允许范围", "value not allowed"),
    "range": ("数值超出合理范围", "value out of range"),
    "date_range": ("日期超出合理范围", "date out of range"),
    "pattern": ("格式错误", "wrong format"),
    "not_before": ("日期先后矛盾", "dates out of order"),
    "matches_id_birth": ("出生日期与身份号码不符", "birth date does not match the ID number"),
    "matches_id_sex": ("性别与身份号码不符", "sex does not match the ID number"),
    # rules the loader applies itself (data_marts/ingest/loader.py)
    "columns": ("单元格多于表头", "more cells than the header"),
    "stored_as_number": ("代码被存成数字", "code stored as a number"),
    "unique": ("重复记录", "duplicate records"),
    "vintage": ("数据版本早于已入库版本", "older vintage than the one loaded"),
    # set-level checks (data_marts/checks/dataset.py): reported, the rows still load
    "links": ("关联不上", "does not link"),
    "timeliness": ("更新不及时", "not updated in time"),
}

SEVERITIES: dict[str, tuple[str, str]] = {
    "reject": ("拒收（转入隔离区）", "rejected (quarantined)"),
    "warn": ("提示（照常入库）", "flagged (still loaded)"),
}


def rule(code: str, lang: str) -> str:
    """A rule in words; an unknown code (a newer warehouse) is shown as it is rather than hidden."""
    return RULES[code][lang == "en"] if code in RULES else code


def severity(code: str, lang: str) -> str:
    return SEVERITIES[code][lang == "en"] if code in SEVERITIES else code
