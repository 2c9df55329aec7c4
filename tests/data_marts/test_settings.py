"""The home region setting: COCKPIT_REGION, else cockpit.toml ($COCKPIT_HOME, then the working directory),
else the shipped demo's."""

import pytest

from data_marts import regions, settings


@pytest.fixture(autouse=True)
def clean(monkeypatch, tmp_path):
    monkeypatch.delenv("COCKPIT_REGION", raising=False)
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(tmp_path)


def toml(path, region):
    path.write_text(f'[deployment]\nregion = "{region}"\n', encoding="utf-8")


def test_the_shipped_default_is_the_demo_province():
    assert settings.deployment()[1] == "default"
    assert regions.home() == settings.default_region() == "520000"


def test_precedence_environment_then_home_file_then_working_directory(monkeypatch, tmp_path):
    toml(tmp_path / "cockpit.toml", "130000")  # working directory
    assert regions.home() == "130000"
    toml(tmp_path / "home" / "cockpit.toml", "130900")  # $COCKPIT_HOME wins over the working directory
    assert regions.home() == "130900"
    assert settings.deployment()[1] == str(tmp_path / "home" / "cockpit.toml")
    monkeypatch.setenv("COCKPIT_REGION", "130929")  # the variable wins over both
    assert regions.home() == "130929" and regions.PROVINCE == "130929"
    monkeypatch.setenv("COCKPIT_REGION", "")  # an empty variable is no setting
    assert regions.home() == "130900"


def test_the_default_home_var_holds_the_file_too(monkeypatch, tmp_path):
    # Without COCKPIT_HOME the home is ./var (paths.home()), where `cockpit demo --region` writes its cockpit.toml.
    monkeypatch.delenv("COCKPIT_HOME")
    (tmp_path / "var").mkdir()
    toml(tmp_path / "var" / "cockpit.toml", "130900")
    assert regions.home() == "130900"


@pytest.mark.parametrize("bad", ["139999", "1309", "沧州市", "000000"])
def test_an_unknown_code_is_one_sentence_naming_where_it_was_set(monkeypatch, tmp_path, bad):
    monkeypatch.setenv("COCKPIT_REGION", bad)
    with pytest.raises(settings.SettingError) as error:
        regions.home()
    message = str(error.value)
    assert message.startswith("the environment variable COCKPIT_REGION: region ") and bad in message
    assert "province, prefecture or county code" in message and "\n" not in message
    monkeypatch.delenv("COCKPIT_REGION")
    toml(tmp_path / "cockpit.toml", bad)
    with pytest.raises(settings.SettingError, match=r"cockpit\.toml \(\[deployment\]\): region"):
        regions.home()


def test_a_broken_file_is_one_sentence_naming_it(tmp_path):
    (tmp_path / "cockpit.toml").write_text("[deployment\nregion = 1", encoding="utf-8")
    with pytest.raises(settings.SettingError, match=r"cockpit\.toml: cannot be read as TOML"):
        regions.home()
    (tmp_path / "cockpit.toml").write_text('[deployment]\nregion = "130900"\ncity = "x"\n', encoding="utf-8")
    with pytest.raises(settings.SettingError, match="city"):
        regions.home()
