"""The /rejected page: masked values for every role, the region scope, and the admin's audited unmask."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cockpit import audit, identity
from cockpit.identity import User
from cockpit.panel import ROLES
from tests.cockpit.test_quarantine import personal_values

REGION_OF = {"province_leader": "520000", "prefecture_leader": "520500", "county_leader": "520526"}


def _page():
    from cockpit.views import rejected

    rejected.render()


def _with_downloads():
    """The page with its download buttons' files made, as a click would make them."""
    import streamlit as st
    from streamlit.delta_generator import DeltaGenerator

    files = st.session_state.setdefault("files", {})
    button, module_button = DeltaGenerator.download_button, st.download_button

    def keep(self, label, data, file_name=None, *args, **kwargs):
        files[file_name] = data() if callable(data) else data
        return button(self, label, data, file_name, *args, **kwargs)

    DeltaGenerator.download_button = keep
    st.download_button = lambda *args, **kwargs: keep(st._main, *args, **kwargs)  # bound before the patch
    try:
        from cockpit.views import rejected

        rejected.render()
    finally:
        DeltaGenerator.download_button, st.download_button = button, module_button


@pytest.fixture()
def as_user(demo_home, use_home, tmp_path, monkeypatch):
    use_home(demo_home)
    monkeypatch.setattr(audit, "folder", lambda: (tmp_path / "audit").mkdir(exist_ok=True) or tmp_path / "audit")

    def sign_in(role: str, region: str | None = None) -> User:
        user = User(f"user-{role}", role, (role,), region or REGION_OF.get(role, "520000"))
        monkeypatch.setattr(identity, "current", lambda: user)
        return user

    return sign_in


def _shown(at) -> str:
    return "\n".join(frame.value.to_csv() for frame in at.dataframe)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_masked_values_only(as_user, warehouse, role):
    as_user(role)
    at = AppTest.from_function(_with_downloads, default_timeout=120).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "隔离记录"
    values = personal_values(warehouse)
    shown = _shown(at)
    assert "*" in shown and not [v for v in values if v in shown]
    exported = at.session_state["files"]["rejected-rows.csv"].decode("utf-8-sig")
    assert "*" in exported and not [v for v in values if v in exported]
    # the listing (scope, rows), and the file, recorded when it is made
    assert [(e["action"], e.get("panel") or e.get("file")) for _, _, e in audit.records()] == \
        [("query", "quarantine"), ("export", "rejected-rows.csv")]
    assert bool(at.expander) == (role == "admin")  # only an admin is offered the unmask


def test_a_county_leader_sees_only_rows_of_the_county(as_user):
    as_user("county_leader", "520526")
    at = AppTest.from_function(_page, default_timeout=120).run()
    assert not at.exception
    if at.dataframe:
        assert "520526" in _shown(at) and "520102" not in _shown(at)
    else:
        assert at.info[0].value == "没有符合条件的隔离记录。"


def test_a_user_with_an_unknown_region_sees_nothing(as_user):
    as_user("analyst", "999999")
    at = AppTest.from_function(_page, default_timeout=60).run()
    assert not at.exception and not at.dataframe
    assert at.info[0].value == "您的账号没有可查看的地区范围。"


def test_the_admin_unmasks_one_record_with_a_reason(as_user, warehouse):
    as_user("admin")
    at = AppTest.from_function(_page, default_timeout=120).run()
    record = at.selectbox(key="rejected.record").value
    at.text_input(key="rejected.reason").input("看").run()
    at.button(key="rejected.unmask").click().run()
    assert at.warning and "unmask" not in [e["action"] for _, _, e in audit.records()]
    at.text_input(key="rejected.reason").input("核对身份证号校验位错误的来源").run()
    at.button(key="rejected.unmask").click().run()
    assert not at.exception, at.exception
    assert len(at.dataframe) == 2 and set(at.dataframe[1].value.iloc[:, 1]) & personal_values(warehouse)
    entries = [e for _, _, e in audit.records() if e["action"] == "unmask"]
    assert [(e["record"], e["user"]) for e in entries] == [(record, "user-admin")]


def test_the_page_speaks_english_when_asked(as_user):
    as_user("analyst")
    at = AppTest.from_function(_page, default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Rejected rows"
    departments = at.selectbox(key="rejected.department")
    assert "Public Security Department" in departments.options and "省公安厅" not in departments.options
    assert list(at.dataframe[0].value.columns)[:3] == ["Id", "Department", "File"]
    assert "Public Security Department" in set(at.dataframe[0].value["Department"])
