"""The local OpenID provider for the demo and the tests: ``oidc-provider-mock`` on the loopback
address with the demo accounts of the home region's demo, and the secrets file that points the cockpit at it.

    cockpit idp --port 9400            # the provider alone, in the foreground
    cockpit demo                       # starts it beside the cockpit and says how to sign in

Demo only: it signs in whoever clicks an account (no password), accepts any client, and lets anyone
on this machine change an account's claims. A bureau connects its own provider (docs/sign-in.md).
The province-level accounts hold the deployment's home region.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cockpit import access
from data_marts import paths
from data_marts.demo import accounts as demo_accounts

HOST = "127.0.0.1"
DEFAULT_PORT = 9400


@dataclass(frozen=True)
class Account:
    sub: str  # what the sign-in page's button says, and what the audit log records
    roles: tuple[str, ...]
    region: str | None  # None: the home region
    email: str

    def claims(self) -> dict:
        return {"name": self.sub, "email": self.email, "roles": list(self.roles),
                "region": self.region or access.home_region()}


# The demo's accounts for this deployment's home region (data_marts/demo/accounts.py).
ACCOUNTS = tuple(Account(*row) for row in demo_accounts.for_region(access.home_region()))


def metadata_url(port: int) -> str:
    return f"http://{HOST}:{port}/.well-known/openid-configuration"


def app():
    """The provider as a WSGI app, without the Werkzeug debugger the package switches on (a debugger
    console is remote code execution for whoever reaches the port)."""
    import oidc_provider_mock

    users = [oidc_provider_mock.User(sub=a.sub, claims=a.claims()) for a in ACCOUNTS]
    flask_app = oidc_provider_mock.app(user_claims=users)
    flask_app.debug = False
    flask_app.wsgi_app = getattr(flask_app.wsgi_app, "app", flask_app.wsgi_app)
    return flask_app


def serve(port: int = DEFAULT_PORT) -> None:
    """Run the provider on the loopback address until interrupted."""
    from werkzeug.serving import make_server

    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain http, on the loopback address only
    make_server(HOST, port, app(), threaded=True).serve_forever()


def start(port: int = DEFAULT_PORT, timeout: float = 30, log: Path | None = None,
          own_group: bool = False) -> subprocess.Popen:
    """The provider in a child process, once it answers. Its output goes to ``log`` (default the home's
    logs/idp.log); ``own_group`` starts it in a process group of its own (for callers that stop it)."""
    log = log or paths.logs() / "idp.log"
    with open(log, "a") as out:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen([sys.executable, "-m", "cockpit.idp", str(port)], stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=own_group)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(metadata_url(port), timeout=2)
            return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"the demo sign-in provider did not start; see {log}") from None
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"the demo sign-in provider did not answer on port {port} within {timeout:.0f} s")


def secrets_file() -> Path:
    """Where the demo's secrets live: under the home (never committed), readable by its owner only."""
    return paths.home() / "demo-secrets.toml"


def write_secrets(cockpit_url: str, port: int = DEFAULT_PORT, path: Path | None = None) -> Path:
    """Write the ``[auth]`` section pointing the cockpit at ``cockpit_url`` to the local provider; a new
    random cookie secret each time (signing everyone out of an older demo)."""
    path = path or secrets_file()
    text = "\n".join([
        "# Written by `cockpit demo` for the local demo provider; a bureau writes its own (docs/sign-in.md).",
        "[auth]",
        f'redirect_uri = "{cockpit_url.rstrip("/")}/oauth2callback"',
        f'cookie_secret = "{secrets.token_urlsafe(32)}"',
        'client_id = "decision-cockpit-demo"',
        f'client_secret = "{secrets.token_urlsafe(24)}"',
        f'server_metadata_url = "{metadata_url(port)}"',
        "",
    ])
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    path.chmod(0o600)
    return path


if __name__ == "__main__":
    serve(int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PORT)
