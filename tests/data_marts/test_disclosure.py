"""Disclosure control on the demo warehouse, tried the way an attacker would (docs/disclosure.md).

The attacker here reads only the published marts. It knows what any reader knows: a region's count is
the sum of its children's, sex × age cells add up to the region's residents, the population balance,
the same count shown in two marts, and how rates and per-capita figures are made. It solves every
relation with one unknown left (parent − visible children, total − visible parts), every relation whose
unknowns must all be zero, and every rate that pins a count to one whole number, again and again until
nothing more comes out. Whatever it finds is a true count (the relations hold), so a found count under
k is a disclosure. Then the full audit: linear programmes over all published marts at once.
"""

from __future__ import annotations

import math
import shutil
from collections import defaultdict

import duckdb
import numpy as np
import polars as pl
import pytest

K = 10


def _frame(warehouse, sql: str, params=None) -> pl.DataFrame:
    return pl.from_arrow(warehouse.cursor().sql(sql, params=params).to_arrow_table())


class Attacker:
    """Known values by key; linear equations ``sum(coef * value) = 0``; rounding rules for rates."""

    def __init__(self):
        self.known: dict[tuple, float] = {}
        self.withheld: set[tuple] = set()
        self.equations: list[dict[tuple, int]] = []
        self.products: list[tuple] = []  # (count key, denominator keys and weights, published ratio, scale, decimals)

    def see(self, key: tuple, value) -> None:
        """A cell as one mart shows it; a cell withheld in one mart and shown in another is known."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            if key not in self.known:
                self.withheld.add(key)
        else:
            self.known[key] = value
            self.withheld.discard(key)

    def equation(self, terms: dict[tuple, int]) -> None:
        self.equations.append(terms)

    def ratio(self, count: tuple, denominator: dict[tuple, float], shown: float, scale: float, decimals: int) -> None:
        """``shown = round(scale * count / sum(weight * denominator), decimals)``: count pinned when one
        whole number fits."""
        self.products.append((count, denominator, shown, scale, decimals))

    def run(self) -> dict[tuple, float]:
        """Everything withheld that the attacker recovers: {key: value}."""
        changed = True
        while changed:
            changed = False
            for terms in self.equations:
                unknown = [key for key in terms if key not in self.known]
                if not unknown:
                    continue
                rest = -sum(coef * self.known[key] for key, coef in terms.items() if key in self.known)
                if len(unknown) == 1:  # parent − visible children, total − visible parts
                    self.known[unknown[0]] = rest / terms[unknown[0]]
                    changed = True
                elif rest == 0 and len({np.sign(terms[key]) for key in unknown}) == 1:
                    for key in unknown:  # counts are >= 0: unknowns of one sign adding to 0 are all 0
                        self.known[key] = 0
                    changed = True
            for count, denominator, shown, scale, decimals in self.products:
                if count in self.known or any(key not in self.known for key in denominator):
                    continue
                base = sum(weight * self.known[key] for key, weight in denominator.items()) / scale
                half = 0.5 * 10 ** -decimals
                low, high = math.ceil((shown - half) * base - 1e-9), math.floor((shown + half) * base + 1e-9)
                if low == high:
                    self.known[count] = low
                    changed = True
        return {key: self.known[key] for key in self.withheld if key in self.known}


def _hierarchy(attacker: Attacker, frame: pl.DataFrame, parents: dict[str, str], key: callable) -> None:
    """parent − sum of its children = 0, for each row whose parent region the frame holds too."""
    shown = set(frame["region_code"])
    children = defaultdict(list)
    for row in frame.iter_rows(named=True):
        if parents.get(row["region_code"]) in shown:
            children[key(row, parents[row["region_code"]])].append(key(row, row["region_code"]))
    for parent, keys in children.items():
        attacker.equation({parent: 1, **{child: -1 for child in keys}})


def attack(warehouse) -> tuple[dict[tuple, float], Attacker]:
    """Every withheld cell the subtraction and rounding attacks recover from the published marts."""
    attacker = Attacker()
    regions = _frame(warehouse, "SELECT code, parent_code FROM mart.regions WHERE code LIKE '52%'")
    parents = dict(zip(regions["code"], regions["parent_code"]))

    structure = _frame(warehouse, "SELECT region_code, year, sex, age_group, persons FROM mart.population_structure")
    for r in structure.iter_rows(named=True):
        attacker.see(("persons", r["region_code"], r["year"], r["sex"], r["age_group"]), r["persons"])
    _hierarchy(attacker, structure, parents, lambda r, region: ("persons", region, r["year"], r["sex"], r["age_group"]))
    for (region, year), cells in structure.group_by("region_code", "year"):
        # residents by sex and age add up to the region's residents (population_dynamics)
        attacker.equation({("population", region, year): -1,
                           **{("persons", region, year, s, a): 1 for s, a in zip(cells["sex"], cells["age_group"])}})

    dynamics = _frame(warehouse, """SELECT region_code, year, births, deaths, moved_in, moved_out, net_moves, population,
                                           population_prev, birth_rate_permille, death_rate_permille
                                    FROM mart.population_dynamics""")
    profile = _frame(warehouse, """SELECT region_code, year, population, births, deaths, net_moves, floor_area_per_capita_m2
                                   FROM mart.region_profile""")
    for frame in (dynamics, profile):  # region_profile shows the same counts: either showing one reveals it
        for r in frame.iter_rows(named=True):
            for column in ("births", "deaths", "population", "net_moves", "moved_in", "moved_out"):
                if column in r:
                    attacker.see((column, r["region_code"], r["year"]), r[column])
            if "population_prev" in r:
                attacker.see(("population", r["region_code"], r["year"] - 1), r["population_prev"])
    for column in ("births", "deaths", "population", "net_moves"):  # additive; moves in/out are not
        _hierarchy(attacker, dynamics, parents, lambda r, region, c=column: (c, region, r["year"]))
    _hierarchy(attacker, dynamics.filter(pl.col("year") == pl.col("year").min()), parents,
               lambda r, region: ("population", region, r["year"] - 1))
    for r in dynamics.iter_rows(named=True):
        region, year = r["region_code"], r["year"]
        attacker.equation({("population", region, year): 1, ("population", region, year - 1): -1,
                           ("births", region, year): -1, ("deaths", region, year): 1,
                           ("moved_in", region, year): -1, ("moved_out", region, year): 1})
        attacker.equation({("net_moves", region, year): 1, ("moved_in", region, year): -1, ("moved_out", region, year): 1})
        for rate, count in (("birth_rate_permille", "births"), ("death_rate_permille", "deaths")):
            if r[rate] is not None:  # rate = 1000 * count / mean population, rounded to 2 decimals
                attacker.ratio((count, region, year), {("population", region, year): 0.5,
                                                       ("population", region, year - 1): 0.5}, r[rate], 1000, 2)

    link = _frame(warehouse, "SELECT region_code, year, residents, residents_linked, residents_link_rate FROM mart.person_housing_link")
    for r in link.iter_rows(named=True):
        region, year = r["region_code"], r["year"]
        attacker.see(("residents", region, year), r["residents"])
        attacker.see(("residents_linked", region, year), r["residents_linked"])
        attacker.equation({("residents", region, year): 1, ("population", region, year): -1})  # the same residents
        if r["residents_link_rate"] is not None:
            attacker.ratio(("residents_linked", region, year), {("residents", region, year): 1},
                           r["residents_link_rate"], 1, 4)
    for column in ("residents", "residents_linked"):
        _hierarchy(attacker, link, parents, lambda r, region, c=column: (c, region, r["year"]))

    # Floor area per head: residential floor area (every unit built by 2024, housing_stock) / residents.
    floor = _frame(warehouse, "SELECT region_code, sum(floor_area_m2) AS area FROM mart.housing_stock WHERE use = '住宅' GROUP BY ALL")
    area = dict(zip(floor["region_code"], floor["area"]))
    for r in profile.filter(pl.col("year") == 2024).iter_rows(named=True):
        if r["floor_area_per_capita_m2"] is not None and r["region_code"] in area:
            # per head = area / population: population pinned when one whole number fits
            shown, half = r["floor_area_per_capita_m2"], 0.005
            low = math.ceil(area[r["region_code"]] / (shown + half) - 1e-9)
            high = math.floor(area[r["region_code"]] / max(shown - half, 1e-9) + 1e-9)
            if low == high and ("population", r["region_code"], 2024) in attacker.withheld:
                attacker.known[("population", r["region_code"], 2024)] = low

    school = _frame(warehouse, "SELECT region_code, year, stage, entrants, enrolled FROM mart.school_places WHERE NOT projected")
    for measure in ("entrants", "enrolled"):
        for r in school.iter_rows(named=True):
            attacker.see((measure, r["region_code"], r["year"], r["stage"]), r[measure])
        _hierarchy(attacker, school, parents, lambda r, region, m=measure: (m, region, r["year"], r["stage"]))
    return attacker.run(), attacker


def test_no_subtraction_recovers_a_withheld_count_under_k(warehouse):
    recovered, attacker = attack(warehouse)
    assert len(attacker.withheld) > 1000  # the demo is small: there is plenty to protect
    # Net moves are a difference of two counts, not a count: the attacker uses them, they are not cells.
    # A complementary cell (at or above k) may come out: the guarantee is for the counts under k.
    under_k = {key: value for key, value in recovered.items() if key[0] != "net_moves" and value < K}
    by_measure = defaultdict(int)
    for key in under_k:
        by_measure[key[0]] += 1
    assert not under_k, f"{len(under_k)} withheld counts under k recovered: {dict(by_measure)}, e.g. {list(under_k.items())[:5]}"


def test_figures_made_from_counts_are_withheld_with_them(warehouse):
    """Net moves, rates and per-capita figures hide when any count they are made of hides."""
    leaks = _frame(warehouse, """
        SELECT
            count(*) FILTER (WHERE net_moves IS NOT NULL AND (moved_in IS NULL OR moved_out IS NULL)) AS net_moves,
            count(*) FILTER (WHERE birth_rate_permille IS NOT NULL AND (births IS NULL OR population IS NULL
                                                                         OR population_prev IS NULL)) AS birth_rate,
            count(*) FILTER (WHERE death_rate_permille IS NOT NULL AND (deaths IS NULL OR population IS NULL
                                                                         OR population_prev IS NULL)) AS death_rate
        FROM mart.population_dynamics""").row(0, named=True)
    leaks |= _frame(warehouse, """
        SELECT count(*) FILTER (WHERE residents_link_rate IS NOT NULL AND (residents IS NULL OR residents_linked IS NULL))
               AS link_rate
        FROM mart.person_housing_link""").row(0, named=True)
    leaks |= _frame(warehouse, """
        SELECT count(*) FILTER (WHERE floor_area_per_capita_m2 IS NOT NULL AND population IS NULL) AS per_capita
        FROM mart.region_profile""").row(0, named=True)
    assert set(leaks.values()) == {0}, leaks


# --- The full audit: every relation at once, as linear programmes, on what the marts actually show. ---

@pytest.fixture(scope="module")
def counts(demo_home, warehouse) -> duckdb.DuckDBPyConnection:
    """A copy of the demo warehouse with the build's person counts and relations made again in it."""
    from data_marts import history, mart_files

    copy = demo_home / "disclosure-audit.duckdb"
    shutil.copyfile(demo_home / "warehouse.duckdb", copy)
    con = duckdb.connect(str(copy))
    con.execute(f"SET VARIABLE k_min = {K}")
    history.set_variables(con)  # the home region and the years of data, as the build sets them
    marts = {m.name: m for m in mart_files.discover()}
    for name in ("residence_spells", "population_events", "person_counts", "person_count_relations"):
        con.execute(f"CREATE TEMP TABLE {name} AS {marts[name].sql}")
    yield con
    con.close()
    copy.unlink()


def _shown(warehouse) -> pl.DataFrame:
    """Which person counts the published marts show, keyed like temp.person_counts."""
    stages = {"primary": (6, 11), "junior_secondary": (12, 14)}
    school = _frame(warehouse, "SELECT region_code, year, stage, entrants, enrolled FROM mart.school_places WHERE NOT projected")
    school = pl.concat([
        school.select("region_code", "year", pl.lit("children").alias("measure"), pl.lit("all").alias("sex"),
                      pl.col("stage").replace_strict({s: label(lo, hi) for s, (lo, hi) in stages.items()}).alias("age_group"),
                      pl.col(column).is_not_null().alias("shown"))
        for column, label in (("entrants", lambda lo, hi: f"{lo}"), ("enrolled", lambda lo, hi: f"{lo}-{hi}"))])
    return pl.concat([
        _frame(warehouse, """SELECT region_code, year, 'persons' AS measure, sex, age_group, persons IS NOT NULL AS shown
                             FROM mart.population_structure"""),
        _frame(warehouse, """
            SELECT region_code, year, measure, 'all' AS sex, 'all' AS age_group, bool_or(shown) AS shown FROM (
                SELECT region_code, year, 'population' AS measure, population IS NOT NULL AS shown FROM mart.population_dynamics
                UNION ALL SELECT region_code, year - 1, 'population', population_prev IS NOT NULL FROM mart.population_dynamics
                UNION ALL SELECT region_code, year, 'population', population IS NOT NULL FROM mart.region_profile
                UNION ALL SELECT region_code, year, 'births', births IS NOT NULL FROM mart.population_dynamics
                UNION ALL SELECT region_code, year, 'births', births IS NOT NULL FROM mart.region_profile
                UNION ALL SELECT region_code, year, 'deaths', deaths IS NOT NULL FROM mart.population_dynamics
                UNION ALL SELECT region_code, year, 'deaths', deaths IS NOT NULL FROM mart.region_profile
                UNION ALL SELECT region_code, year, 'moved_in', moved_in IS NOT NULL FROM mart.population_dynamics
                UNION ALL SELECT region_code, year, 'moved_out', moved_out IS NOT NULL FROM mart.population_dynamics
                UNION ALL SELECT region_code, year, 'residents', residents IS NOT NULL FROM mart.person_housing_link
                UNION ALL SELECT region_code, year, 'residents_linked', residents_linked IS NOT NULL FROM mart.person_housing_link
            ) GROUP BY ALL"""),
        school,
    ], how="vertical_relaxed")


def test_the_audit_of_the_published_marts_finds_no_withheld_count_under_k_narrower_than_protection(warehouse, counts):
    from data_marts.derived import reader
    from data_marts.disclosure import Problem
    from data_marts.disclosure.audit import audit
    from data_marts.disclosure.step import KEY, protection

    read = reader(counts)  # temp tables belong to that connection: no cursor of its own
    problem = Problem.from_frames(read("SELECT * FROM temp.person_counts"), read("SELECT * FROM temp.person_count_relations"), KEY)
    shown = problem.keys.join(_shown(warehouse), on=list(KEY), how="left")["shown"]
    assert shown.filter(pl.Series(problem.published)).null_count() == 0  # every published count is in a mart
    unknown = ~shown.fill_null(False).to_numpy().astype(bool)
    under_k = problem.published & (problem.values < K)
    assert not (under_k & ~unknown).any()
    result = audit(problem, unknown, under_k, protection(K))
    assert result.audited.size == under_k.sum() > 1000
    assert result.recoverable.size == 0
    assert result.exposed.size == 0, [problem.keys.row(int(c)) for c in result.exposed[:5]]
    assert result.width.min() >= protection(K)
