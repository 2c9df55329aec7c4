"""种植结构情景 / Crop-structure planner: propose a planting structure county by county for a region, see it
on a map and as charts against the no-change baseline with its risk, read the binding constraints, and
save, compare, share and export scenarios."""

from __future__ import annotations

import re
from collections.abc import Callable

import polars as pl
import streamlit as st

from cockpit import access, crop_plan, errors, escape, exports, fmt, identity, plan_brief, plan_charts, query, scenarios, warehouse
from cockpit.context import PageParams
from cockpit.i18n import t
from data_marts import regions
from models.crop_plan import CropPlan, PlanError, PlanInputs

K = "planner."  # widget and session keys (STYLE habit 7)
MEMO = K + "memo"
# What a scenario id can look like in a link (ids are short hex strings); anything else is not looked up.
SCENARIO_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")


def page(params_of: Callable[[], PageParams]) -> Callable[[], None]:
    def render_page() -> None:
        render(params_of())

    render_page.__name__ = "page_planner"
    return render_page


def render(params: PageParams) -> None:
    st.title(t("planner.title"))
    st.caption(t("planner.caption"))
    try:
        data = crop_plan.data()
    except FileNotFoundError:
        st.info(t("status.no_warehouse"))
        return
    except Exception as error:  # noqa: BLE001 - e.g. a warehouse built before mart.crop_outlook existed
        errors.show(error, "planner data", "planner.no_data")
        return
    lang = params.lang
    crops = crop_plan.crops()
    crop_names = {r["code"]: r["zh"] if lang == "zh" else r["en"] for r in crops.iter_rows(named=True)}
    # Only the regions the user may see: a plan shows every county of its region.
    places = crop_plan.plan_regions(params.scope)
    if places.is_empty():
        st.info(t("planner.no_region_in_scope"))
        return
    place_names = regions.names(lang)

    _open_shared(params)
    inputs = _inputs(params, data, places, crops, crop_names)
    if inputs is None:
        return
    try:
        result = _solve(inputs)
    except PlanError as error:
        st.error(error.zh if lang == "zh" else str(error))
        return

    _headline(result, lang)
    _structure(result, crop_names, lang)
    _map(result, crop_names, lang, params.scope)
    _risk(result, lang)
    _binding(result, lang)
    _table(result, crop_names, lang)
    _scenarios(result, crop_names, lang, place_names, params.scope)


# ---------------------------------------------------------------- inputs

def _open_shared(params: PageParams) -> None:
    """A link with ?scenario=<id> opens that saved scenario's inputs (once per session and id). A link to
    no scenario says so in one sentence, drops the parameter and leaves the default inputs."""
    wanted = st.query_params.get("scenario")
    if not wanted or st.session_state.get(K + "opened") == wanted:
        return
    st.session_state[K + "opened"] = wanted
    if not SCENARIO_ID.fullmatch(wanted):
        st.warning(t("planner.shared_invalid"))
        del st.query_params["scenario"]
        return
    try:
        saved = scenarios.load(wanted)
    except scenarios.ScenarioError:
        st.warning(t("planner.shared_missing", id=escape.markdown(wanted)))
        del st.query_params["scenario"]
        return
    except Exception as error:  # noqa: BLE001 - a damaged store or a scenario it cannot read back
        errors.show(error, "planner shared scenario", "error.scenarios")
        return
    if not params.scope.allows(saved.inputs.region):  # a link to another region's scenario
        access.deny("scenario", identity.current(), scenario=wanted, scenario_region=saved.inputs.region)
        st.warning(t("planner.shared_missing", id=escape.markdown(wanted)))
        del st.query_params["scenario"]
        return
    _apply(saved.inputs)
    st.session_state[K + "loaded_name"] = saved.name


def _apply(inputs: PlanInputs) -> None:
    """Put a scenario's inputs into the widgets (before they are drawn)."""
    state = st.session_state
    state[K + "region"] = inputs.region
    state[K + "years"] = inputs.years
    state[K + "risk"] = inputs.risk_weight
    state[K + "corn_cut"] = round(inputs.max_corn_cut_share * 100)
    state[K + "change"] = round(inputs.max_change_share * 100)
    state[K + "floor_from_task"] = inputs.grain_floor_mu is None
    if inputs.grain_floor_mu is not None:
        state[K + "floor"] = round(inputs.grain_floor_mu / 1e4, 1)
    state[K + "per_crop"] = {"shock": dict(inputs.price_shock), "subsidy": dict(inputs.subsidy),
                             "excluded": list(inputs.excluded)}
    state.pop(K + "crops", None)  # the editor re-reads its table from per_crop


def _inputs(params: PageParams, data, places: pl.DataFrame, crops: pl.DataFrame, crop_names) -> PlanInputs | None:
    state = st.session_state
    codes = places["code"].to_list()
    default = params.region if params.region in codes else regions.ancestors(params.region)[-2] \
        if len(regions.ancestors(params.region)) > 1 else codes[0]
    state.setdefault(K + "region", default if default in codes else codes[0])
    names = regions.names(params.lang)
    with st.container(border=True):
        st.markdown(f"**{t('planner.inputs')}**")
        c1, c2, c3 = st.columns(3)
        region = c1.selectbox(t("planner.region"), codes, format_func=lambda c: names.get(c, c), key=K + "region")
        years = c2.slider(t("planner.years"), 1, 10, 5, key=K + "years")
        risk = c3.slider(t("planner.risk"), 0.0, 1.0, 0.2, 0.05, key=K + "risk", help=t("planner.risk_help"))
        task = float(data.grain_task[data.county_indices(region)].sum())
        c4, c5, c6 = st.columns(3)
        from_task = c4.checkbox(t("planner.floor_from_task", task=fmt.number(task, "亩", params.lang, compact=True)), True,
                                key=K + "floor_from_task")
        floor = c4.number_input(t("planner.floor"), min_value=0.0, value=round(task / 1e4, 1), step=10.0,
                                key=K + "floor", disabled=from_task, help=t("planner.floor_help"))
        corn = c5.slider(t("planner.corn_cut"), 0, 100, 100, 5, key=K + "corn_cut", help=t("planner.corn_cut_help"))
        change = c6.slider(t("planner.change"), 5, 50, 15, 1, key=K + "change", help=t("planner.change_help"))
        per_crop = state.get(K + "per_crop", {"shock": {}, "subsidy": {}, "excluded": []})
        table = pl.DataFrame({
            "code": crops["code"],
            "crop": [crop_names[c] for c in crops["code"]],
            "shock": [float(per_crop["shock"].get(c, 1.0)) for c in crops["code"]],
            "subsidy": [float(per_crop["subsidy"].get(c, 0.0)) for c in crops["code"]],
            "excluded": [c in per_crop["excluded"] for c in crops["code"]],
        })
        with st.expander(t("planner.per_crop")):
            edited = st.data_editor(
                table.to_pandas(), hide_index=True, width="stretch", key=K + "crops", disabled=["code", "crop"],
                column_order=["crop", "shock", "subsidy", "excluded"],
                column_config={
                    "crop": st.column_config.TextColumn(t("planner.col.crop")),
                    "shock": st.column_config.NumberColumn(t("planner.col.shock"), min_value=0.1, max_value=3.0,
                                                           step=0.05, format="%.2f", help=t("planner.shock_help")),
                    "subsidy": st.column_config.NumberColumn(t("planner.col.subsidy"), min_value=-5000.0,
                                                             max_value=20000.0, step=50.0, format="%.0f"),
                    "excluded": st.column_config.CheckboxColumn(t("planner.col.excluded"), help=t("planner.excluded_help")),
                })
    rows = pl.from_pandas(edited)
    values = dict(
        region=region, years=years, risk_weight=risk, max_corn_cut_share=corn / 100, max_change_share=change / 100,
        grain_floor_mu=None if from_task else float(floor) * 1e4,
        price_shock={r["code"]: r["shock"] for r in rows.iter_rows(named=True) if r["shock"] and abs(r["shock"] - 1) > 1e-9},
        subsidy={r["code"]: r["subsidy"] for r in rows.iter_rows(named=True) if r["subsidy"]},
        excluded=tuple(r["code"] for r in rows.iter_rows(named=True) if r["excluded"]),
    )
    try:
        return PlanInputs.build(**values)
    except PlanError as error:
        st.error(error.zh if params.lang == "zh" else str(error))
        return None


def _solve(inputs: PlanInputs) -> CropPlan:
    """Solve, remembering the last few results of this session (a rerun that changes nothing re-uses them)."""
    memo = st.session_state.setdefault(MEMO, {})
    key = (warehouse.generation(), inputs.model_dump_json())
    if key not in memo:
        with st.spinner(t("planner.solving")):
            memo[key] = crop_plan.solve(inputs)
        while len(memo) > 4:
            memo.pop(next(iter(memo)))
    return memo[key]


# ---------------------------------------------------------------- results

def _headline(result: CropPlan, lang: str) -> None:
    s = result.summary
    st.success(result.summary_text(lang))
    c1, c2, c3, c4 = st.columns(4)
    delta = s["income_yuan"] - s["baseline_income_yuan"]
    pct = 100 * delta / abs(s["baseline_income_yuan"]) if s["baseline_income_yuan"] else None
    # st.metric reads a delta's direction from a leading ASCII "-"; fmt writes a real minus sign.
    c1.metric(t("planner.kpi.income", first=s["first_year"], last=s["last_year"]), fmt.number(s["income_yuan"], "元", lang, compact=True),
              _signed(fmt.change(pct, lang, "none")), help=t("planner.kpi.income_help", baseline=fmt.number(s["baseline_income_yuan"], "元", lang)))
    c2.metric(t("planner.kpi.p05"), fmt.number(s["income_p05_yuan"], "元", lang, compact=True),
              _signed(fmt.number(s["income_p05_yuan"] - s["baseline_income_p05_yuan"], "元", lang, compact=True)),
              help=t("planner.kpi.p05_help", baseline=fmt.number(s["baseline_income_p05_yuan"], "元", lang)))
    c3.metric(t("planner.kpi.beats"), f"{s['prob_beats_baseline'] * 100:.0f}%", help=t("planner.kpi.beats_help"))
    c4.metric(t("planner.kpi.moved"), fmt.number(s["area_moved_mu"], "亩", lang, compact=True),
              help=t("planner.kpi.moved_help", floor=fmt.number(s["grain_floor_mu"], "亩", lang),
                     grain=fmt.number(s["grain_area_last_year_mu"], "亩", lang)))
    st.caption(t("planner.kpi.after", plan=fmt.number(s["after_plan_value_yuan"], "元", lang),
                 baseline=fmt.number(s["baseline_after_plan_value_yuan"], "元", lang),
                 objective=fmt.number(s["objective_yuan"], "元", lang), base=fmt.number(s["baseline_yuan"], "元", lang),
                 seconds=f"{s['build_seconds'] + s['solve_seconds']:.2f}"))


def _signed(text: str) -> str:
    return "-" + text[1:] if text.startswith(fmt.MINUS) else text


def _structure(result: CropPlan, crop_names, lang: str) -> None:
    s = result.summary
    with st.container(border=True):
        st.subheader(t("planner.structure"))
        chart = plan_charts.area_change(result.area_change(), crop_names, lang,
                                        t("planner.structure_title", base=s["first_year"] - 1, last=s["last_year"]),
                                        t("planner.area_axis"))
        st.altair_chart(chart, width="stretch", key=K + "structure_chart")
        falls = {c: v for c, v in s["price_change_last_year"].items() if v < -0.005}
        if falls:
            text = ("、" if lang == "zh" else ", ").join(
                f"{crop_names.get(c, c)} {fmt.change(v * 100, lang, 'none')}" for c, v in sorted(falls.items(), key=lambda i: i[1]))
            st.caption(t("planner.price_falls", year=s["last_year"], text=text))


def _map_areas(region: str, lang: str, scope: query.Scope) -> pl.DataFrame:
    areas = query.run("""
        SELECT r.code, s.geojson, s.label_lon, s.label_lat
        FROM mart.regions AS r JOIN mart.region_shapes AS s ON s.code = r.code
        JOIN mart.region_ancestors AS a ON a.code = r.code AND a.ancestor_code = ?
        WHERE r.level = 'county' ORDER BY r.code""", [region], scope, panel="planner")
    short = pl.col("code").replace(regions.names(lang, "short")).alias("short_name")
    return areas.select("code", short, pl.exclude("code"))


def map_values(result: CropPlan, crop: str, lang: str) -> tuple[pl.DataFrame, bool]:
    """(code, value, shown) per county for the map, and whether the scale diverges (a crop's change)."""
    last = result.plan.filter(pl.col("year") == pl.col("year").max())
    if crop == "all":
        moved = last.group_by("region_code").agg(
            ((pl.col("area_mu") - pl.col("baseline_area_mu")).clip(lower_bound=0).sum()
             / pl.col("baseline_area_mu").sum() * 100).alias("value"))
        shown = [fmt.change(v, lang, "none").lstrip("+") for v in moved["value"].to_list()]
        return moved.rename({"region_code": "code"}).with_columns(pl.Series("shown", shown)), False
    one = last.filter(pl.col("crop") == crop).group_by("region_code").agg(
        ((pl.col("area_mu") - pl.col("baseline_area_mu")).sum() / (1e4 if lang == "zh" else 1e3)).alias("value"))
    shown = [fmt.number(v * (1e4 if lang == "zh" else 1e3), "亩", lang) for v in one["value"].to_list()]
    return one.rename({"region_code": "code"}).with_columns(pl.Series("shown", shown)), True


def _map(result: CropPlan, crop_names, lang: str, scope: query.Scope) -> None:
    with st.container(border=True):
        st.subheader(t("planner.map"))
        change = result.area_change().sort("change_mu")
        options = ["all", *[c for c in change["crop"].to_list() if c in crop_names]]
        crop = st.selectbox(t("planner.map_show"), options, key=K + "map_crop",
                            format_func=lambda c: t("planner.map_all") if c == "all" else crop_names.get(c, c))
        values, diverging = map_values(result, crop, lang)
        title = t("planner.map_all_legend") if crop == "all" else t("planner.map_crop_legend", crop=crop_names.get(crop, crop))
        chart = plan_charts.change_map(_map_areas(result.inputs.region, lang, scope), values, title, lang, diverging)
        st.altair_chart(chart, width="stretch", key=K + "map_chart")
        st.caption(t("planner.map_hint" if diverging else "planner.map_all_hint"))


def _risk(result: CropPlan, lang: str) -> None:
    with st.container(border=True):
        st.subheader(t("planner.risk_title"))
        chart = plan_charts.income_band(result.risk, lang, {"plan": t("planner.plan"), "baseline": t("planner.baseline")},
                                        t("planner.income_title"), t("planner.income_axis"))
        st.altair_chart(chart, width="stretch", key=K + "risk_chart")
        st.caption(t("planner.risk_note", draws=result.summary["monte_carlo_draws"]))


def _binding(result: CropPlan, lang: str) -> None:
    with st.container(border=True):
        st.subheader(t("planner.binding"))
        st.markdown("\n".join(f"- {item[lang]}" for item in result.binding[:8]))
        st.caption(t("planner.binding_note"))


def _table(result: CropPlan, crop_names, lang: str) -> None:
    last = result.summary["last_year"]
    frame = (result.plan.filter(pl.col("year") == last)
             .with_columns(pl.col("region_code").replace(regions.names(lang, "compact")).alias("county"),
                           pl.col("crop").replace_strict(crop_names, default=pl.col("crop")).alias("crop_name"),
                           (pl.col("area_mu") - pl.col("baseline_area_mu")).alias("change_mu"))
             .filter(pl.col("change_mu").abs() > 0.5)
             .sort(pl.col("change_mu").abs(), descending=True)
             .select("county", "crop_name", pl.col("baseline_area_mu").round(0), pl.col("area_mu").round(0),
                     pl.col("change_mu").round(0), pl.col("net_income_yuan").round(0)))
    with st.container(border=True):
        st.subheader(t("planner.table", year=last))
        labels = {c: t(f"planner.col.{c}") for c in frame.columns}
        numbers = {labels[c]: st.column_config.NumberColumn(format="localized") for c in frame.columns[2:]}
        st.dataframe(frame.rename(labels), hide_index=True, width="stretch", key=K + "table", height=320,
                     column_config=numbers)


# ---------------------------------------------------------------- scenarios

def _scenarios(result: CropPlan, crop_names, lang: str, place_names, scope: query.Scope) -> None:
    """Save, open, delete, compare, share and export. A scenario store that cannot be read or written
    says so in one sentence, and the rest of the section still works."""
    with st.container(border=True):
        st.subheader(t("planner.scenarios"))
        with errors.guard("planner save", "error.scenarios"):
            _save(result, lang)
        with errors.guard("planner saved scenarios", "error.scenarios"):
            _saved(crop_names, lang, place_names, scope)
        _brief(result, crop_names, lang, scope)


def _save(result: CropPlan, lang: str) -> None:
    c1, c2, c3 = st.columns([2, 1, 1])
    name = c1.text_input(t("planner.save_name"), key=K + "save_name",
                         value=st.session_state.get(K + "loaded_name", ""), placeholder=t("planner.save_placeholder"))
    user = identity.current()
    if identity.no_login():  # single-user laptop: the saver is who the field says
        by = c2.text_input(t("planner.save_by"), key=K + "by", placeholder=scenarios.who(), help=t("planner.save_by_help"))
    else:  # signed in: the saver is the token's subject, not what a field says
        by = user.id if user else None
        c2.text_input(t("planner.save_by"), value=user.name if user else "", key=K + "by_signed", disabled=True)
    c3.write("")
    if c3.button(t("planner.save"), key=K + "save", type="primary", width="stretch"):
        if not name.strip():
            st.warning(t("planner.save_needs_name"))
        else:
            saved = scenarios.save(name, result, by=by or None)
            st.session_state[K + "opened"] = saved
            st.query_params["scenario"] = saved
            st.success(t("planner.saved", name=escape.markdown(name), id=saved))
    shared = st.query_params.get("scenario")
    if shared:
        st.caption(t("planner.share", link=escape.markdown(f"?scenario={shared}&lang={lang}")))


def _saved(crop_names, lang: str, place_names, scope: query.Scope) -> None:
    """The saved scenarios of regions in the user's scope: a table, open or delete one (the saver or an
    admin), compare up to three."""
    listing = scenarios.listing()
    listing = listing.filter(pl.col("region_code").map_elements(scope.allows, return_dtype=pl.Boolean)) \
        if not listing.is_empty() else listing
    if listing.is_empty():
        st.caption(t("planner.none_saved"))
        return
    shown = listing.with_columns(
        pl.col("region_code").replace_strict(place_names, default=pl.col("region_code")).alias("region"),
        pl.col("created_at").dt.strftime("%Y-%m-%d %H:%M"),
        pl.Series("income", [fmt.number(v, "元", lang) for v in listing["income_yuan"].to_list()]),
        pl.Series("baseline", [fmt.number(v, "元", lang) for v in listing["baseline_income_yuan"].to_list()]),
    ).select("name", "region", "created_by", "created_at", "income", "baseline", "id")
    st.dataframe(shown.rename({c: t(f"planner.col.{c}") for c in shown.columns}), hide_index=True,
                 width="stretch", key=K + "saved")
    labels = dict(zip(listing["id"], _distinct(listing.iter_rows(named=True)), strict=True))
    l1, l2, l3 = st.columns([2, 1, 1])
    pick = l1.selectbox(t("planner.pick"), list(labels), format_func=labels.get, key=K + "pick", index=None,
                        placeholder=t("planner.pick_placeholder"))
    l2.write("")
    l3.write("")
    if l2.button(t("planner.load"), key=K + "load", width="stretch", disabled=pick is None):
        st.query_params["scenario"] = pick
        st.session_state.pop(K + "opened", None)
        st.rerun()
    user = identity.current()
    owner = dict(zip(listing["id"], listing["created_by"], strict=True)).get(pick)
    may_delete = pick is not None and user is not None and (identity.no_login() or user.has("admin") or owner == user.id)
    if l3.button(t("planner.delete"), key=K + "delete", width="stretch", disabled=not may_delete):
        scenarios.delete(pick)
        if st.query_params.get("scenario") == pick:
            del st.query_params["scenario"]
        st.rerun()
    chosen = st.multiselect(t("planner.compare"), list(labels), format_func=labels.get, key=K + "compare",
                            max_selections=3)
    if chosen:
        _compare(chosen, labels, crop_names, lang)


def _brief(result: CropPlan, crop_names, lang: str, scope: query.Scope) -> None:
    figures = {
        "area_change": plan_charts.area_change(result.area_change(), crop_names, lang, t("planner.structure"),
                                               t("planner.area_axis")),
        "income_risk": plan_charts.income_band(result.risk, lang, {"plan": t("planner.plan"), "baseline": t("planner.baseline")},
                                               t("planner.income_title"), t("planner.income_axis")),
    }
    values, _ = map_values(result, "all", lang)
    figures["map"] = plan_charts.change_map(_map_areas(result.inputs.region, lang, scope), values, t("planner.map_all_legend"),
                                            lang, False)
    names = {**regions.names(lang), **crop_names}
    brief = f"crop-plan-{result.inputs.region}-{result.summary['first_year']}.zip"
    st.download_button(t("planner.brief"), exports.recorded(lambda: plan_brief.brief(result, names, t, lang, figures),
                                                            None, brief, region_code=result.inputs.region),
                       brief, "application/zip",
                       key=K + "brief", help=t("planner.brief_help"))


def _compare(ids: list[str], labels: dict[str, str], crop_names, lang: str) -> None:
    """The chosen scenarios side by side, one column each (headed by its label) and one colour each."""
    rows, changes = [], []
    for item in (scenarios.load(i) for i in ids):
        s, label = item.result.summary, labels[item.id]
        rows.append({t("planner.cmp.scenario"): label,
                     t("planner.cmp.region"): regions.names(lang).get(s["region"], s["region"]),
                     t("planner.cmp.years"): f"{s['first_year']}–{s['last_year']}",
                     t("planner.cmp.income"): fmt.number(s["income_yuan"], "元", lang),
                     t("planner.cmp.gain"): fmt.number(s["income_yuan"] - s["baseline_income_yuan"], "元", lang),
                     t("planner.cmp.p05"): fmt.number(s["income_p05_yuan"], "元", lang),
                     t("planner.cmp.beats"): f"{s['prob_beats_baseline'] * 100:.0f}%",
                     t("planner.cmp.moved"): fmt.number(s["area_moved_mu"], "亩", lang),
                     t("planner.cmp.risk"): f"{s['risk_weight']:g}",
                     t("planner.cmp.floor"): fmt.number(s["grain_floor_mu"], "亩", lang)})
        changes.append(item.result.area_change().select("crop", "change_mu").with_columns(pl.lit(label).alias("scenario")))
    table = pl.DataFrame(rows)  # one column per scenario after the transpose: the labels must differ
    st.dataframe(table.transpose(include_header=True, header_name=" ", column_names=t("planner.cmp.scenario")),
                 hide_index=True, width="stretch", key=K + "compare_table")
    st.altair_chart(plan_charts.compare(pl.concat(changes), crop_names, lang, t("planner.area_axis")),
                    width="stretch", key=K + "compare_chart")


def _distinct(rows) -> list[str]:
    """A label for each saved scenario (``rows``: name, created_by, created_at, id), "name (who) · saved at",
    with the id where two would read the same: the pickers tell options apart by their labels, and the
    comparison has one column and one colour per label. Plain text, cut to a length a column can head."""
    rows = list(rows)
    labels = [f"{escape.plain(r['name'], 60)} ({escape.plain(r['created_by'], 30)}) · {r['created_at']:%m-%d %H:%M}"
              for r in rows]
    return [f"{label} · {r['id']}" if labels.count(label) > 1 else label for label, r in zip(labels, rows, strict=True)]
