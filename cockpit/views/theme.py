"""A themed page: the breadcrumb, then every registered panel of the theme, each in its own frame.

Panels that declare a ``section`` sit in tabs, and only the open tab's panels run: a leader's first
view of a long page is drawn without waiting for the charts behind the other tabs. The open tab is
in the URL (``?tab.population=预测``), so a link opens the same tab."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from cockpit import errors, warehouse
from cockpit import panel as panels
from cockpit.context import Ctx, PageParams
from cockpit.i18n import CATALOG, t
from cockpit.shell import breadcrumb


def render_panel(item: panels.Panel, params: PageParams) -> None:
    """Draw one panel in the user's scope; a panel none of the user's roles may see is not run."""
    if not any(role in item.roles for role in params.roles):
        return
    ctx = Ctx(panel=item, params=params, scope=params.scope, role=params.roles[0])
    with st.container(border=True):
        st.subheader(item.title[params.lang])
        st.caption(item.description[params.lang])
        # One broken panel must not take the page down: it says so in one sentence, the log has why.
        with errors.guard(f"panel {item.id}", "error.panel", title=item.title[params.lang]):
            item.render(ctx)


def sections(items: list[panels.Panel], lang: str) -> dict[str, list[panels.Panel]]:
    """Panels grouped by tab label in page order; panels without a section open the page (概况)."""
    grouped: dict[str, list[panels.Panel]] = {}
    for item in sorted(items, key=lambda p: p.section is not None):  # stable: page order within a tab
        label = item.section[lang] if item.section else CATALOG["page.section_main"][lang]
        grouped.setdefault(label, []).append(item)
    return grouped


def page(theme: str, params_of: Callable[[], PageParams]) -> Callable[[], None]:
    def render() -> None:
        params = params_of()
        st.title(t(f"page.{theme}"))
        breadcrumb(params)
        try:
            warehouse.generation()
        except FileNotFoundError:  # said once, not by every panel
            st.info(t("status.no_warehouse"))
            return
        items = panels.for_theme(theme, params.roles)
        grouped = sections(items, params.lang)
        if not grouped:
            st.info(t("page.no_panels"))
        elif len(grouped) == 1:
            for item in items:
                render_panel(item, params)
        else:
            tabs = st.tabs(list(grouped), key=f"tab.{theme}", bind="query-params")
            for tab, members in zip(tabs, grouped.values(), strict=True):
                if tab.open:
                    with tab:
                        for item in members:
                            render_panel(item, params)

    render.__name__ = f"page_{theme}"
    return render
