"""The frame around every page: language, region and year pickers, remembered in the URL
(?region=130921&year=2024&lang=zh) so a view can be shared by link.

The region pickers start at the deployment's home region (``regions.home()``): a province home shows a
prefecture picker, then a county picker; a prefecture-level home a county picker only; a county home none.
A municipality's districts sit right under it, so its first picker already lists counties. The years are
those the warehouse holds (``mart.region_profile``).

The pickers offer only the signed-in user's region and below, and a link cannot widen it: a region
outside the user's scope falls back to the user's own region, with a notice, and is recorded as a
refused access (cockpit/access.py)."""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import streamlit as st

from cockpit import access, display, identity, warehouse
from cockpit.context import PageParams
from cockpit.i18n import CATALOG, DEFAULT, LANGUAGES, t
from data_marts import regions

PICKERS = ("shell.prefecture", "shell.county")  # session keys of the first and second region picker


def home() -> str:
    return regions.home()


def years() -> tuple[int, ...]:
    """The years the warehouse has region profiles for, oldest first; without a warehouse, last year alone."""
    try:
        found = warehouse.cached("SELECT DISTINCT year FROM mart.region_profile ORDER BY year")["year"].to_list()
    except (FileNotFoundError, duckdb.Error):
        found = []
    return tuple(int(y) for y in found) or (dt.date.today().year - 1,)


def _chain(code: str) -> list[str]:
    """The regions below home down to ``code`` (home excluded), at most one per picker."""
    below = list(reversed(regions.ancestors(code)))
    return below[below.index(home()) + 1:]


def _from_url(user: identity.User) -> None:
    """Seed the session from the URL once, so a shared link opens the same view. A parameter that is
    not valid (not a region of this deployment, not a year of the data, markup, …) falls back to its
    default, and a toast says which."""
    if st.session_state.get("_shell_seeded"):
        return
    params = st.query_params
    wrong = []
    lang = params.get("lang", DEFAULT)
    if lang not in LANGUAGES:
        wrong.append("lang")
    st.session_state.setdefault("lang", lang if lang in LANGUAGES else DEFAULT)
    code, refused = access.resolve_region(params.get("region"), user)
    if refused == "outside":  # a real region the user may not see: their own region, and why
        access.deny("region", user, reason=refused, requested=params.get("region"))
        st.toast(t("shell.out_of_scope", region=regions.name(code, lang if lang in LANGUAGES else DEFAULT)),
                 duration="long")
    elif refused:
        wrong.append("region")
        access.deny("region", user, reason=refused, requested=params.get("region"))
    _seed(code, setdefault=True)
    known = years()
    year = params.get("year", str(known[-1]))
    # Four ASCII digits: str.isdigit() accepts "²", which int() refuses.
    if not (re.fullmatch(r"[0-9]{4}", year) and int(year) in known):
        wrong.append("year")
        year = str(known[-1])
    st.session_state.setdefault("shell.year", int(year))
    if params.get("display", display.WALL) != display.WALL:
        wrong.append("display")
        del params["display"]
    st.session_state["_shell_seeded"] = True
    if wrong:
        st.toast(t("shell.bad_link", names=t("link.and").join(t(f"link.{name}") for name in wrong)), duration="long")


def region() -> str:
    """The selected region code: the lower picker's if set, else the upper one's, else the home region."""
    return st.session_state.get(PICKERS[1]) or st.session_state.get(PICKERS[0]) or home()


def _within(code: str, user: identity.User) -> str:
    """``code`` if the user may see it, else the user's own region (a drill or a picker cannot widen scope)."""
    shown, refused = access.resolve_region(code, user)
    if refused:
        access.deny("region", user, reason=refused, requested=code)
    return shown


def _seed(code: str, setdefault: bool = False) -> None:
    """Set the pickers to show ``code`` (``setdefault``: only pickers the session has not set yet)."""
    chain = _chain(code)
    for index, key in enumerate(PICKERS):
        value = chain[index] if len(chain) > index else ""
        if setdefault:
            st.session_state.setdefault(key, value)
        else:
            st.session_state[key] = value


def set_region(code: str) -> None:
    """Drill to ``code`` (map clicks, breadcrumbs). Widgets of this run already exist, so the change
    is queued and applied by ``sidebar()`` at the start of the next run."""
    st.session_state["shell.pending"] = code


def _apply_pending(user: identity.User) -> None:
    code = st.session_state.pop("shell.pending", None)
    if code:
        _seed(_within(code, user))


def _labels(lang: str):
    """The pickers' labels: region names in ``lang`` (bound now: Streamlit may call it after the run)."""
    return lambda code: regions.name(code, lang) if code else CATALOG["shell.all"][lang]


def sidebar(user: identity.User | None = None) -> PageParams:
    user = user or identity.current()
    if user is None:  # fail closed: the app shows the sign-in page before the shell
        st.stop()
    _from_url(user)
    _apply_pending(user)
    if region() != _within(region(), user):  # e.g. a session seeded before the scope was known
        _seed(access.root(user))
    with st.sidebar:
        st.radio(t("lang.label"), options=list(LANGUAGES), format_func=LANGUAGES.get, key="lang", horizontal=True)
        lang = st.session_state["lang"]
        parent = home()
        for index, key in enumerate(PICKERS):
            options = access.options(parent, user) if parent else []
            children = [code for code in options if code]
            if not children:
                st.session_state[key] = ""
                parent = ""
                continue
            st.selectbox(t(f"shell.{regions.by_code()[children[0]].level}"), options, format_func=_labels(lang),
                         key=key, on_change=lambda lower=PICKERS[index + 1:]: st.session_state.update(
                             dict.fromkeys(lower, "")))
            parent = st.session_state.get(key) or ""
        st.selectbox(t("shell.year"), list(reversed(years())), key="shell.year")
    params = PageParams(region=region(), year=int(st.session_state["shell.year"]), lang=st.session_state["lang"],
                        scope=access.scope(user), roles=user.roles)
    st.query_params.update({"region": params.region, "year": str(params.year), "lang": params.lang})
    return params


def breadcrumb(params: PageParams) -> None:
    """河北省 › 沧州市 › 献县 (Hebei Province › Cangzhou › Xian County), each level above the current one a
    button that goes back up (from the home region: a city's cockpit starts at the city).

    One horizontal row that wraps like text: columns would stack into a row per level on a phone."""
    chain = [home(), *_chain(params.region)]
    with st.container(horizontal=True, gap="xsmall", vertical_alignment="center"):
        for index, code in enumerate(chain):
            if index:
                st.markdown("›", width="content")
            name = regions.name(code, params.lang)
            if code == params.region:
                st.markdown(f"**{name}**", width="content")
            elif not params.scope.allows(code):  # above the user's region: a name, not a way up
                st.markdown(name, width="content")
            elif st.button(name, key=f"shell.crumb.{code}", type="tertiary"):
                set_region(code)
                st.rerun()
