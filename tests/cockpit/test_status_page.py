"""The first page renders over the demo warehouse, in Chinese and in English, with no exception."""

import pytest
from streamlit.testing.v1 import AppTest


def _status_page():
    from cockpit.views import status

    status.render()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_status_page_renders(demo_home, monkeypatch, lang):
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    at = AppTest.from_function(_status_page, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    title = at.title[0].value
    assert title == ("数据底座" if lang == "zh" else "Warehouse status")
    assert len(at.dataframe) == 5
    assert at.success, "load accounting should balance"
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["隔离记录" if lang == "zh" else "Quarantined rows"].replace(",", "")) > 0


def test_status_page_without_a_warehouse_says_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path))
    at = AppTest.from_function(_status_page, default_timeout=30)
    at.run()
    assert not at.exception
    assert "cockpit demo" in at.info[0].value
