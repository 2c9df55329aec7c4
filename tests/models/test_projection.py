"""The cohort-component projection: its accounting identity, the estimator contract, and known answers."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from models import CohortComponentProjection, NotFittedError, Projection

REGIONS = ("A", "B")
YEARS = range(2018, 2025)
MAX_AGE = 100


def _register(seed: int = 3, *, mortality: float = 1.0, moves: float = 1.0, fertility: float = 1.0,
              fertility_change: float | tuple[float, ...] = 1.0, fertility_noise: float = 0.0,
              regions=REGIONS) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A small synthetic register that closes exactly: a microsimulation with Gompertz deaths, moves out
    and in, and births to women 20-39, returning (population, events) frames as the warehouse gives them.
    Fertility changes by the factor ``fertility_change`` a year (or by one factor per year after the first)
    and, with ``fertility_noise``, by a yearly
    shock of that standard deviation (of its logarithm, shared by the regions; drawn apart, so that the rest
    of the register is the same with or without it)."""
    rng = np.random.default_rng(seed)
    shocks = np.random.default_rng(seed + 1000).standard_normal(len(YEARS))
    change = np.cumprod(np.broadcast_to(fertility_change, len(YEARS) - 1))       # level after each year
    ages = np.arange(MAX_AGE + 1)
    q = np.clip(mortality * (0.0005 + 3e-5 * np.exp(0.1 * ages)), 0, 1)
    out_rate = moves * np.where((ages >= 18) & (ages <= 35), 0.03, 0.008)
    stock = {r: np.stack([rng.poisson(np.maximum(900 - 6 * ages, 20)) for _ in range(2)]) for r in regions}
    pop_rows, event_rows = [], []
    for r in regions:
        for s, sex in enumerate(("male", "female")):
            pop_rows += [(r, YEARS[0], sex, a, int(stock[r][s, a])) for a in ages]
    for year in YEARS[1:]:
        level = fertility * change[year - YEARS[0] - 1] * np.exp(fertility_noise * shocks[year - YEARS[0]])
        for r in regions:
            before = stock[r]
            start = np.zeros_like(before)
            start[:, 1:] = before[:, :-1]
            start[:, -1] += before[:, -1]
            women = before[1, 20:40].sum()
            born = rng.poisson(level * 0.09 * women)
            boys = rng.binomial(born, 0.52)
            start[:, 0] = (boys, born - boys)
            deaths = rng.binomial(start, q)
            moved_out = rng.binomial(start - deaths, out_rate)
            moved_in = rng.poisson(moves * np.broadcast_to(np.where((ages >= 18) & (ages <= 35), 8.0, 1.5), start.shape))
            after = start - deaths - moved_out + moved_in
            for s, sex in enumerate(("male", "female")):
                pop_rows += [(r, year, sex, a, int(after[s, a])) for a in ages]
                event_rows += [(r, year, sex, a, int(start[s, 0]) if a == 0 else 0, int(deaths[s, a]),
                                int(moved_in[s, a]), int(moved_out[s, a])) for a in ages]
            stock[r] = after
    population = pl.DataFrame(pop_rows, schema=["region", "year", "sex", "age", "population"], orient="row")
    events = pl.DataFrame(event_rows, schema=["region", "year", "sex", "age", "births", "deaths", "moved_in", "moved_out"],
                          orient="row")
    return population, events


@pytest.fixture(scope="module")
def register():
    return _register()


@pytest.fixture(scope="module")
def fitted(register):
    return CohortComponentProjection(horizon=10, n_simulations=200, seed=11).fit(*register)


@pytest.fixture(scope="module")
def projection(fitted) -> Projection:
    return fitted.predict()


def test_the_accounting_identity_holds_for_every_cohort_in_every_run(projection):
    """population next year = this year (one year older) + births - deaths + moved in - moved out, per cohort."""
    for h in range(len(projection.years)):
        births = np.zeros_like(projection.deaths[:, h])
        births[..., 0] = projection.births[:, h]
        expected = (projection.aged_on(h).astype(np.int64) + births - projection.deaths[:, h]
                    + projection.moved_in[:, h] - projection.moved_out[:, h])
        np.testing.assert_array_equal(projection.population[:, h], expected)
    # aged_on is last year's population one year older: the first year's comes from the base year.
    np.testing.assert_array_equal(projection.aged_on(0)[:, :, :, 1:MAX_AGE], np.broadcast_to(
        projection.base_population[:, :, :MAX_AGE - 1], projection.aged_on(0)[:, :, :, 1:MAX_AGE].shape))
    assert (projection.aged_on(0)[..., 0] == 0).all()


def test_the_identity_holds_in_the_tidy_frame_for_groups_and_totals(projection):
    frame = projection.to_frame(total="all regions")
    gap = frame["mean"] - (frame["aged_on"] + frame["births"] - frame["deaths"] + frame["moved_in"] - frame["moved_out"])
    assert gap.abs().max() < 1e-6
    assert set(frame["sex"]) == {"male", "female", "all"}
    assert frame.filter(pl.col("age_group") != "00-04", pl.col("age_group") != "all")["births"].sum() == 0
    # The total region is the sum over regions (means add up; intervals do not need to).
    totals = frame.filter(pl.col("sex") == "all", pl.col("age_group") == "all")
    by_region = totals.filter(pl.col("region") != "all regions").group_by("year").agg(pl.col("mean").sum())
    joined = totals.filter(pl.col("region") == "all regions").join(by_region, on="year")
    assert (joined["mean"] - joined["mean_right"]).abs().max() < 1e-6


def test_fit_returns_self_and_sets_fitted_attributes(register):
    model = CohortComponentProjection(n_simulations=20)
    assert model.fit(*register) is model
    assert model.regions_ == REGIONS and model.base_year_ == 2024
    assert model.window_years_ == (2020, 2021, 2022, 2023, 2024)
    assert model.death_rate_.shape == model.out_rate_.shape == model.in_moves_.shape == (2, 2, MAX_AGE + 1)
    assert model.closure_error_ == 0.0


def test_predict_before_fit_raises():
    with pytest.raises(NotFittedError):
        CohortComponentProjection().predict()


def test_the_same_seed_gives_the_same_projection_and_another_seed_does_not(register):
    a = CohortComponentProjection(n_simulations=50, seed=5).fit(*register).predict()
    b = CohortComponentProjection(n_simulations=50, seed=5).fit(*register).predict()
    c = CohortComponentProjection(n_simulations=50, seed=6).fit(*register).predict()
    assert a.to_frame().equals(b.to_frame())
    assert not np.array_equal(a.population, c.population)


def test_intervals_are_ordered(projection):
    frame = projection.to_frame(total="T")
    for lower, upper in (("lower_95", "lower_80"), ("lower_80", "mean"), ("mean", "upper_80"), ("upper_80", "upper_95")):
        assert (frame[lower] <= frame[upper]).all(), (lower, upper)
    # and they are intervals, not points, where people are at risk of events
    totals = frame.filter(pl.col("sex") == "all", pl.col("age_group") == "all")
    assert (totals["upper_95"] - totals["lower_95"] > 0).all()


def test_uncertainty_grows_with_the_horizon(projection):
    totals = projection.to_frame(total="T").filter(pl.col("region") == "T", pl.col("sex") == "all",
                                                   pl.col("age_group") == "all").sort("year")
    width = (totals["upper_95"] - totals["lower_95"]).to_list()
    assert width[-1] > 2 * width[0]


def test_without_deaths_moves_or_births_the_population_just_ages():
    population, events = _register(mortality=0.0, moves=0.0, fertility=0.0)
    assert events.select(pl.col("births", "deaths", "moved_in", "moved_out").sum()).row(0) == (0, 0, 0, 0)
    model = CohortComponentProjection(horizon=5, n_simulations=30, seed=2).fit(population, events)
    assert model.tfr_.tolist() == [0.0, 0.0] and not model.death_rate_.any() and not model.in_moves_.any()
    result = model.predict()
    base = model.base_population_
    for h in range(5):
        expected = np.zeros_like(base)
        expected[..., h + 1:] = base[..., :MAX_AGE - h]
        expected[..., MAX_AGE] = base[..., MAX_AGE - h - 1:].sum(axis=-1)
        np.testing.assert_array_equal(result.population[:, h], np.broadcast_to(expected, result.population[:, h].shape))
    frame = result.to_frame()
    assert (frame["lower_95"] == frame["upper_95"]).all()


def test_rates_recover_the_simulated_ones():
    population, events = _register(seed=8, regions=("A", "B", "C"))
    model = CohortComponentProjection(window=6).fit(population, events)
    # Women 20-39 bear 0.09 children a year in the simulation: a TFR of 1.8 in a 20-year span; the standard
    # schedule spreads it over 15-49 differently, so only the order of magnitude is comparable.
    assert 1.0 < model.tfr_.mean() < 2.6
    assert 0.50 < model.male_birth_share_ < 0.54
    ages = np.arange(MAX_AGE + 1)
    simulated = 0.0005 + 3e-5 * np.exp(0.1 * ages)
    # Pooled five-year rates against the simulated single-year ones, where deaths are frequent enough.
    for age in (62, 72, 82):
        assert model.death_rate_[:, :, age].mean() == pytest.approx(simulated[age], rel=0.35)
    assert model.in_moves_.sum(axis=(1, 2)) == pytest.approx([8.0 * 36 + 1.5 * (2 * 101 - 36)] * 3, rel=0.1)


def test_a_constant_register_projects_near_its_last_year(register, projection):
    population, _ = register
    last = population.filter(pl.col("year") == 2024)["population"].sum()
    first = projection.to_frame(total="T").filter(pl.col("region") == "T", pl.col("sex") == "all",
                                                  pl.col("age_group") == "all", pl.col("year") == 2025)["mean"][0]
    assert first == pytest.approx(last, rel=0.02)


def test_single_ages_and_named_ranges(projection):
    single = projection.to_frame(age="single", ages=[6, 12])
    assert set(single["age"]) == {6, 12}
    ranges = projection.to_frame(age={"primary": (6, 11), "entrants": (6, 6)})
    joined = ranges.filter(pl.col("age_group") == "entrants").join(
        single.filter(pl.col("age") == 6), on=["region", "year", "sex"])
    assert (joined["mean"] - joined["mean_right"]).abs().max() < 1e-9
    with pytest.raises(ValueError):
        projection.to_frame(age={"bad": (90, 120)})


def test_bad_input_is_refused(register):
    population, events = register
    with pytest.raises(ValueError, match="missing column"):
        CohortComponentProjection().fit(population.drop("sex"), events)
    with pytest.raises(ValueError, match="age-0"):
        CohortComponentProjection().fit(population, events.with_columns(pl.lit(1).alias("births")))
    with pytest.raises(ValueError, match="consecutive"):
        CohortComponentProjection().fit(population.filter(pl.col("year") != 2021), events)
    with pytest.raises(ValueError, match="fertility_trend"):
        CohortComponentProjection(fertility_trend="linear").fit(population, events)
    with pytest.raises(ValueError, match="damping"):
        CohortComponentProjection(damping=(1.0, 0.5)).fit(population, events)
    with pytest.raises(ValueError, match="jump_off"):
        CohortComponentProjection(jump_off="line").fit(population, events)


def test_results_are_immutable(projection):
    with pytest.raises(ValueError):
        projection.population[0, 0, 0, 0, 0] = 1
    with pytest.raises(AttributeError):
        projection.base_year = 2000


def test_pandas_frames_are_accepted(register):
    population, events = register
    a = CohortComponentProjection(n_simulations=10, horizon=2).fit(population.to_pandas(), events.to_pandas()).predict()
    b = CohortComponentProjection(n_simulations=10, horizon=2).fit(population, events).predict()
    assert np.array_equal(a.population, b.population)


def _births_by_year(events: pl.DataFrame) -> np.ndarray:
    return events.group_by("year").agg(pl.col("births").sum()).sort("year")["births"].to_numpy()


def test_births_keep_falling_after_a_falling_history_and_the_band_holds_the_decline():
    """Fertility falling 5 % a year: the projected births continue the fall instead of returning to the
    window's average, and the 95% band holds the decline continued at its own pace."""
    population, events = _register(seed=21, fertility_change=0.95)
    observed = _births_by_year(events)
    assert observed[-1] < 0.85 * observed[-5]                          # the history falls
    births = CohortComponentProjection(horizon=10, n_simulations=300, seed=4).fit(population, events).predict().births
    births = births.sum(axis=(2, 3))                                    # (runs, years), both regions
    mean = births.mean(axis=0)
    assert mean[0] < observed[-1] and (np.diff(mean) < 0).all()
    # The decline continued at the pace of the window (the least-squares line through its log births).
    slope, level = np.polyfit(np.arange(-4, 1), np.log(observed[-5:]), 1)
    continued = np.exp(level + slope * np.arange(1, 11))
    lower, upper = np.quantile(births, [0.025, 0.975], axis=0)
    assert ((lower <= continued) & (continued <= upper)).all(), (lower, continued)


def test_births_intervals_widen_with_fertility_uncertainty():
    """The fertility trend's uncertainty accumulates: the births' band widens with the horizon, the more so
    the less certain the trend (a history whose fertility jumps about against a steady one), and for a
    falling trend (whose persistence is uncertain too)."""
    def relative_width(**history):
        population, events = _register(seed=31, **history)
        births = CohortComponentProjection(horizon=10, n_simulations=400, seed=6).fit(population, events).predict().births
        births = births.sum(axis=(2, 3))
        lower, upper = np.quantile(births, [0.025, 0.975], axis=0)
        return (upper - lower) / births.mean(axis=0)

    steady, jumpy, falling = relative_width(), relative_width(fertility_noise=0.06), relative_width(fertility_change=0.95)
    assert jumpy[-1] > 1.3 * steady[-1]
    assert jumpy[-1] > 1.5 * jumpy[0] and falling[-1] > 1.5 * falling[0]


def test_births_continue_from_the_last_observed_year_after_a_turn():
    """Fertility rose, levelled and fell (as Guizhou's births after 2018): the line through the window lags
    the turn and lies above the last year, so a projection starting on the line would rise first; starting
    from the observed rate, every projected year stays below the last observed one."""
    population, events = _register(seed=2, fertility_change=(1.0, 1.06, 1.06, 1.0, 0.94, 0.88))
    observed = _births_by_year(events)
    assert observed[-1] < 0.93 * observed[-3]                          # the window ends falling

    def first_years(jump_off):
        model = CohortComponentProjection(horizon=3, n_simulations=300, seed=8, jump_off=jump_off)
        return model.fit(population, events).predict().births.sum(axis=(2, 3)).mean(axis=0)

    assert (first_years("observed") < observed[-1]).all()
    assert first_years("trend")[0] > observed[-1]
