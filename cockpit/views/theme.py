"""A themed page: the breadcrumb, then every registered panel of the theme, each in its own frame."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from cockpit import panel as panels
from cockpit.context import Ctx, PageParams
from cockpit.i18n import t
from cockpit.shell import breadcrumb


def render_panel(item: panels.Panel, params: PageParams) -> None:
    ctx = Ctx(panel=item, params=params)
    with st.container(border=True):
        st.subheader(item.title[params.lang])
        st.caption(item.description[params.lang])
        try:
            item.render(ctx)
        except Exception as error:  # one broken panel must not take the page down
            st.error(t("page.panel_failed", panel=item.id, error=f"{type(error).__name__}: {error}"))


def page(theme: str, params_of: Callable[[], PageParams]) -> Callable[[], None]:
    def render() -> None:
        params = params_of()
        st.title(t(f"page.{theme}"))
        breadcrumb(params)
        items = panels.for_theme(theme)
        if not items:
            st.info(t("page.no_panels"))
        for item in items:
            render_panel(item, params)

    render.__name__ = f"page_{theme}"
    return render
