"""One sentence for the user, the details for the log.

A page, a panel or a part of the planner that fails shows one sentence in the page language that says
what to do, with a short reference; the traceback goes to the server log (standard error) and to
``$COCKPIT_HOME/logs/cockpit.log`` under that reference, never to the browser
(``client.showErrorDetails = "none"`` in .streamlit/config.toml covers what no page caught;
docs/DECISIONS.md 26)."""

from __future__ import annotations

import logging
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import streamlit as st

from cockpit.i18n import t
from data_marts import paths

LOG = logging.getLogger("cockpit")
_FORMAT = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


def _handlers() -> None:
    """Standard error (as it is now: a test runner swaps it) and the log file of the current
    ``COCKPIT_HOME`` (tests move it)."""
    LOG.setLevel(logging.INFO)
    LOG.propagate = False
    streams = [h for h in LOG.handlers if type(h) is logging.StreamHandler]
    if streams:
        streams[0].setStream(sys.stderr)
    else:
        server = logging.StreamHandler(sys.stderr)
        server.setFormatter(_FORMAT)
        LOG.addHandler(server)
    path = str(paths.logs() / "cockpit.log")
    files = [h for h in LOG.handlers if isinstance(h, logging.FileHandler)]
    if files and files[0].baseFilename == path:
        return
    for handler in files:
        LOG.removeHandler(handler)
        handler.close()
    file = logging.FileHandler(path, encoding="utf-8", delay=True)
    file.setFormatter(_FORMAT)
    LOG.addHandler(file)


def report(error: BaseException, where: str) -> str:
    """Log ``error`` with its traceback under a new short reference, and return the reference."""
    ref = secrets.token_hex(4)
    try:
        _handlers()
    except OSError:  # no writable COCKPIT_HOME: standard error still gets it
        pass
    LOG.error("%s failed [ref %s]", where, ref, exc_info=error)
    return ref


def show(error: BaseException, where: str, key: str = "error.page", **values) -> None:
    """Log ``error`` and say in one sentence (catalog ``key``, filled with ``ref`` and ``values``) what to do.
    A warehouse that lacks a table or a column that a page reads was built by an older version (or before
    a mart was added): the sentence says to rebuild it."""
    ref = report(error, where)
    if isinstance(error, (duckdb.CatalogException, duckdb.BinderException)):
        key, values = "error.rebuild", {}
    st.error(t(key, ref=ref, **values))


@contextmanager
def guard(where: str, key: str = "error.page", **values) -> Iterator[None]:
    """Run a part of a page; if it fails, ``show`` the failure in its place and go on with the rest."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - the user gets one sentence, the log the details
        show(error, where, key, **values)
