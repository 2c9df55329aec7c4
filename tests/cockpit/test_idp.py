"""The demo's local OpenID provider: its accounts' tokens carry the claims the cockpit reads, it runs
without a debugger, its secrets file is owner-only with a fresh cookie secret; and `cockpit serve`
refuses to start without an identity provider unless told --no-login."""

from __future__ import annotations

import base64
import json
import stat
import urllib.parse

import pytest
from typer.testing import CliRunner

from cockpit import idp
from cockpit.cli import app
from cockpit.identity import User, from_claims

REDIRECT = "http://127.0.0.1:8501/oauth2callback"


def _id_token_claims(account: str, monkeypatch) -> dict:
    """Sign ``account`` in through the provider's own endpoints (Flask's test client) and read the ID token."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    client = idp.app().test_client()
    query = {"client_id": "cockpit", "redirect_uri": REDIRECT, "response_type": "code",
             "scope": "openid profile email", "state": "s", "nonce": "n"}
    assert client.get("/oauth2/authorize", query_string=query).status_code == 200
    answer = client.post("/oauth2/authorize", query_string=query, data={"sub": account})
    code = urllib.parse.parse_qs(urllib.parse.urlparse(answer.headers["Location"]).query)["code"][0]
    token = client.post("/oauth2/token", data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                                               "client_id": "cockpit", "client_secret": "x"}).get_json()
    payload = token["id_token"].split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


@pytest.mark.parametrize(("account", "expected"), [
    ("毕节市领导", User("毕节市领导", "毕节市领导", ("prefecture_leader",), "520500")),
    ("威宁县领导", User("威宁县领导", "威宁县领导", ("county_leader",), "520526")),
    ("管理员", User("管理员", "管理员", ("admin",), "520000")),
])
def test_an_accounts_id_token_gives_its_user(account, expected, monkeypatch):
    assert from_claims({**_id_token_claims(account, monkeypatch), "is_logged_in": True}) == expected


def test_a_typed_subject_that_is_no_account_grants_nothing(monkeypatch):
    # The provider signs in any subject typed into its form, with only an e-mail claim: no region, no role.
    assert from_claims({**_id_token_claims("someone-else", monkeypatch), "is_logged_in": True}) is None


def test_six_accounts_one_per_role_and_no_debugger():
    assert sorted(r for a in idp.ACCOUNTS for r in a.roles) == sorted(
        ["province_leader", "prefecture_leader", "county_leader", "analyst", "planner", "admin"])
    provider = idp.app()
    assert not provider.debug
    assert type(provider.wsgi_app).__name__ != "DebuggedApplication"


def test_the_secrets_file_is_owner_only_with_a_fresh_cookie_secret(tmp_path):
    import tomllib

    first = tomllib.loads(idp.write_secrets("http://localhost:8501", 9400, tmp_path / "s.toml").read_text())["auth"]
    assert stat.S_IMODE((tmp_path / "s.toml").stat().st_mode) == 0o600
    second = tomllib.loads(idp.write_secrets("http://localhost:8501", 9400, tmp_path / "s.toml").read_text())["auth"]
    assert first["cookie_secret"] != second["cookie_secret"] and len(first["cookie_secret"]) >= 32
    assert first["redirect_uri"] == "http://localhost:8501/oauth2callback"
    assert first["server_metadata_url"] == "http://127.0.0.1:9400/.well-known/openid-configuration"


@pytest.mark.parametrize("content", [None, "", "[server]\nport = 1\n", "[auth]\nredirect_uri = 'x'\n", "[auth\n"])
def test_serve_refuses_without_an_identity_provider(tmp_path, content, monkeypatch):
    monkeypatch.setenv("COCKPIT_NO_LOGIN", "1")  # an inherited variable does not turn sign-in off
    secrets = tmp_path / "secrets.toml"
    if content is not None:
        secrets.write_text(content)
    result = CliRunner().invoke(app, ["serve", "--secrets", str(secrets)])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "no identity provider" in said and "--no-login" in said and "Traceback" not in said
    assert said.count(".") <= 4  # one sentence (file names have dots)
