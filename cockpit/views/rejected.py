"""隔离记录: rows the ingest rejected, with file, row, column and reason, personal values masked, in the
user's region scope; an admin may see one record whole with a stated reason (audited). For analysts
and admins (docs/audit.md)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from cockpit import errors, exports, identity, quarantine, warehouse
from cockpit.i18n import language, t
from data_marts.checks import labels
from data_marts.contracts import CONTRACTS

K = "rejected."
LABELS = {"id": "col.id", "department": "col.department", "file": "col.file", "row": "col.row",
          "column": "col.column", "rule": "col.rule", "reason": "col.reason", "values": "col.values"}


def render() -> None:
    st.title(t("rejected.title"))
    st.caption(t("rejected.caption"))
    try:
        warehouse.generation()
    except FileNotFoundError:
        st.info(t("status.no_warehouse"))
        return
    user = identity.current()
    scope = quarantine.scope_of(user)
    if scope is None:
        st.info(t("rejected.no_scope"))
        return
    with errors.guard("rejected page"):
        _listing(scope, user)


def _listing(scope, user) -> None:
    lang = language()
    departments = {c.department_zh: (c.department_zh if lang == "zh" else c.department_en) for c in CONTRACTS.values()}
    everything = t("rejected.all")
    left, right = st.columns(2)
    department = left.selectbox(t("col.department"), [everything, *departments], key=K + "department",
                                format_func=lambda d: departments.get(d, d))
    file = right.selectbox(t("col.file"), [everything, *quarantine.files(scope)], key=K + "file")
    rows = quarantine.listing(scope, file=None if file == everything else file,
                              department=None if department == everything else department)
    if rows.is_empty():
        st.info(t("rejected.none"))
    else:
        st.caption(t("rejected.shown", n=f"{rows.height:,}", limit=f"{quarantine.LIMIT:,}"))
        # What a reader needs, in words: the rule by name, the record by its place in this list (the
        # record's internal key, table:load:record, stays behind the unmask picker).
        shown = rows.with_columns(pl.col("department").replace(departments),
                                  pl.col("rule").map_elements(lambda code: labels.rule(code, lang), return_dtype=pl.String),
                                  pl.Series("id", [f"#{n}" for n in range(1, rows.height + 1)])).select(list(LABELS))
        st.dataframe(shown.rename({k: t(v) for k, v in LABELS.items()}), hide_index=True, width="stretch",
                     key=K + "table")
        st.download_button(t("rejected.download"), exports.recorded(exports.csv, shown, "rejected-rows.csv",
                                                                    page="rejected"),
                           "rejected-rows.csv", "text/csv", key=K + "csv")
    if user.has("admin") and not rows.is_empty():
        _unmask(rows["id"].to_list(), user, {key: f"#{n}" for n, key in enumerate(rows["id"].to_list(), 1)})


def _unmask(ids: list[str], user, shown_as: dict[str, str]) -> None:
    with st.expander(t("rejected.unmask")):
        record = st.selectbox(t("rejected.record"), ids, key=K + "record", format_func=shown_as.get)
        reason = st.text_input(t("rejected.reason", n=quarantine.MIN_REASON), key=K + "reason", max_chars=500)
        if not st.button(t("rejected.unmask_button"), key=K + "unmask"):
            return
        if len(reason.strip()) < quarantine.MIN_REASON:
            st.warning(t("rejected.refused_reason", n=quarantine.MIN_REASON))
            return
        try:
            found = quarantine.unmask(record, reason, user)
        except quarantine.UnmaskRefused:
            st.warning(t("rejected.refused"))
            return
        st.markdown(t("rejected.unmasked", id=shown_as.get(found.id, found.id), file=found.file, row=found.row))
        values = pl.DataFrame({t("col.column"): list(found.values),
                               t("col.value"): ["" if v is None else str(v) for v in found.values.values()]})
        st.dataframe(values, hide_index=True, width="stretch", key=K + "unmasked")
