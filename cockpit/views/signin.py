"""登录 / Sign in: the only page a browser without a signed-in user sees, the sign-out button in the
sidebar, and the red single-user banner of ``cockpit serve --no-login``."""

from __future__ import annotations

import streamlit as st

from cockpit import access, identity
from cockpit.i18n import DEFAULT, LANGUAGES, t


def _configured() -> bool:
    """Whether secrets.toml has an ``[auth]`` section (``st.login`` cannot run without one)."""
    try:
        return bool(st.secrets.get("auth"))
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def render() -> None:
    """The sign-in page: why this browser sees nothing (one sentence) and the way to sign in."""
    lang = st.query_params.get("lang", DEFAULT)
    st.session_state.setdefault("lang", lang if lang in LANGUAGES else DEFAULT)
    st.title(t("app.title"))
    claims = identity.claims()
    reason = identity.refusal(claims) or "signed_out"
    if reason != "signed_out" and not st.session_state.get("signin.refusal_noted"):
        st.session_state["signin.refusal_noted"] = True
        subject = str(claims.get("sub") or claims.get("email") or "anonymous")
        access.deny("signin", None, reason=reason, subject=subject)
    st.info(t(f"signin.{reason}"))
    if not _configured():
        st.warning(t("signin.not_configured"))
        return
    if reason == "signed_out":
        if st.button(t("signin.button"), key="signin.login", type="primary"):
            st.login()
    elif st.button(t("signin.signout"), key="signin.logout"):
        st.logout()


def sidebar(user: identity.User) -> None:
    """Who is signed in, and the sign-out button; in single-user mode the red banner instead."""
    with st.sidebar:
        if identity.no_login():
            return
        st.caption(t("signin.as", name=user.name, roles="、".join(t(f"role.{r}") for r in user.roles)))
        if st.button(t("signin.signout"), key="signin.logout"):
            access.note_signout(user)
            st.logout()


def banner() -> None:
    """未登录模式: said in red at the top of every page when the cockpit runs without sign-in."""
    if identity.no_login():
        st.markdown(f":red-background[:red[**{t('signin.no_login')}**]]")


def denied(page: str, user: identity.User, title: str):
    """A page function for a page the user's roles may not open: its title, one sentence, and the
    refusal recorded."""
    def render() -> None:
        access.deny("page", user, page=page)
        st.title(title)
        st.error(t("signin.page_denied"))

    render.__name__ = f"denied_{page}"
    return render
