"""Population projection: a stochastic cohort-component model by region, sex and single year of age.

Each projected year every cohort (people born in the same year) ages by one year, loses its deaths and
moves out, gains its moves in, and a new cohort is born::

    population(t, a) = population(t - 1, a - 1) + births(t, a) - deaths(t, a) + moved_in(t, a) - moved_out(t, a)

where ``a`` is the age reached in year ``t`` (``t`` minus the birth year; the oldest age is open) and
births enter only the age-0 cohort. Rates are estimated from a register (year-end residents and the
year's events by cohort), not from a census. Mortality and migration are held at their recent level;
fertility follows its recent trend from its last observed level, damped (a total fertility rate that
fell 4 % a year keeps falling, more slowly each year), unless ``fertility_trend="constant"``.
Uncertainty comes from simulation: each run draws the year's rates around their level with the
year-to-year variation seen in the register, draws one persistent shift for the level's own
estimation error and, for fertility, one for the trend's, and draws the events of each cohort
(binomial deaths and moves out, Poisson moves in and births). Intervals are quantiles over the runs.

``models`` knows nothing of the warehouse: :class:`CohortComponentProjection` takes polars (or pandas)
frames and :class:`Projection` returns numpy arrays and polars frames.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import polars as pl
from scipy import stats

from models.forecast.base import NotFittedError  # one 'not fitted' error for every estimator in models

SEXES = ("male", "female")

# Standard shape of age-specific fertility (births per 1,000 women a year) by five-year age group of
# the mother, 15-19 ... 45-49: table 6-3 of the 2020 census yearbook of Fuzhou (福州市2020年人口普查年鉴,
# "全市育龄妇女分年龄、孩次的生育状况 2019.11.1-2020.10.31"). The population register records no
# mother, so only the *shape* is borrowed; each region's level (its total fertility rate) is
# estimated from its own births and women.
STANDARD_FERTILITY = (3.04, 40.54, 98.71, 65.80, 26.95, 6.41, 1.35)
FERTILE_AGES = (15, 50)  # mothers aged 15-49
FERTILITY_TRENDS = ("damped", "constant")
JUMP_OFFS = ("observed", "trend")
# Damping φ of the fertility trend: each projected year keeps φ of the previous year's change. Each run
# draws its own φ uniformly in this range (centre 0.85, a usual damped trend): a trend may fade within a few
# years, persist, or gather a little pace, as the demo province's births did when their fall grew from
# 2 % a year (2018-2021) to 9.4 % (2022).
DAMPING = (0.65, 1.05)

_POPULATION_COLUMNS = ("region", "year", "sex", "age", "population")
_EVENT_COLUMNS = ("region", "year", "sex", "age", "births", "deaths", "moved_in", "moved_out")
_QUANTILES = (0.025, 0.10, 0.90, 0.975)


@dataclass(frozen=True)
class Variation:
    """Year-to-year variation of one component's level, as standard deviations of its logarithm.

    ``annual_*`` is the spread of one year's level around the long-run level beyond what Poisson
    noise explains; ``level_*`` is the standard error of the long-run level itself. ``*_common`` is
    shared by all regions (seen in the sum over regions), ``*_own`` is each region's remainder.
    Arrays have one value per region.
    """

    annual_common: np.ndarray
    annual_own: np.ndarray
    level_common: np.ndarray
    level_own: np.ndarray


@dataclass(frozen=True, eq=False)
class Projection:
    """The result of :meth:`CohortComponentProjection.predict`: every simulation run, every cohort.

    Arrays are read-only. ``population``, ``deaths``, ``moved_in`` and ``moved_out`` have the shape
    ``(n_simulations, horizon, n_regions, 2, max_age + 1)`` (run, projected year, region, sex as in
    ``sexes``, age reached in the year); ``births`` has ``(n_simulations, horizon, n_regions, 2)``.
    For every run, year, region, sex and age the accounting identity holds exactly::

        population[:, h] == aged_on(h) + births (age 0) - deaths[:, h] + moved_in[:, h] - moved_out[:, h]

    Attributes
    ----------
    regions : tuple of str
        Region labels, in array order.
    years : tuple of int
        The projected years, ``base_year + 1`` onwards.
    base_year : int
        The last observed year (the jump-off population).
    sexes : tuple of str
        ``("male", "female")``.
    max_age : int
        The open oldest age (``max_age`` means that age and over).
    base_population : numpy.ndarray
        Observed year-end population of the base year, shape ``(n_regions, 2, max_age + 1)``.
    """

    regions: tuple[str, ...]
    years: tuple[int, ...]
    base_year: int
    sexes: tuple[str, ...]
    max_age: int
    base_population: np.ndarray
    population: np.ndarray
    births: np.ndarray
    deaths: np.ndarray
    moved_in: np.ndarray
    moved_out: np.ndarray
    age_groups: tuple[tuple[str, int, int], ...] = field(default=())

    @property
    def n_simulations(self) -> int:
        """Number of simulation runs."""
        return self.population.shape[0]

    def aged_on(self, h: int) -> np.ndarray:
        """The population entering projected year ``h`` (0-based) one year older, before its events.

        Parameters
        ----------
        h : int
            Index into ``years``.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_simulations, n_regions, 2, max_age + 1)``: age ``a`` holds last year's age
            ``a - 1`` (the open age also keeps last year's open age); age 0 is empty (births enter it).
        """
        previous = (np.broadcast_to(self.base_population, self.population.shape[:1] + self.base_population.shape)
                    if h == 0 else self.population[:, h - 1])
        return _age_on(previous)

    def to_frame(self, age: Literal["group", "single"] | Mapping[str, tuple[int, int]] = "group",
                 total: str | None = None, ages: Sequence[int] | None = None) -> pl.DataFrame:
        """A tidy frame: one row per region, year, sex and age group (or single age).

        Parameters
        ----------
        age : {"group", "single"} or mapping of str to (int, int)
            ``"group"``: the five-year groups of ``age_groups`` (``"00-04"`` ... ``"90+"``) plus
            ``"all"``; ``"single"``: one row per single year of age (an integer column ``age``
            instead of ``age_group``); a mapping: one row per named range of ages, both ends included
            (ranges may overlap), e.g. ``{"primary": (6, 11), "junior": (12, 14)}``.
        total : str, optional
            If given, add a region with this label holding the sum over all regions (summed run by
            run, so its intervals are those of the total, not sums of intervals).
        ages : sequence of int, optional
            With ``age="single"``, only these ages (e.g. ``[6, 12]`` for school entrants).

        Returns
        -------
        polars.DataFrame
            Columns ``region, year, sex`` (``male``, ``female``, ``all``), ``age_group`` (or ``age``),
            ``mean, lower_80, upper_80, lower_95, upper_95`` of the year-end population, and the means
            over runs of its components ``aged_on, births, deaths, moved_in, moved_out``, so that
            ``mean = aged_on + births - deaths + moved_in - moved_out`` on every row. Intervals are
            quantiles over the runs, widened where needed to contain the mean (which happens only for
            cells of a few persons, whose distribution is discrete).
        """
        if age == "group":
            ranges = [*self.age_groups, ("all", 0, self.max_age)]
        elif age == "single":
            chosen = range(self.max_age + 1) if ages is None else [int(a) for a in ages]
            ranges = [(a, a, a) for a in chosen]
        elif isinstance(age, Mapping):
            ranges = [(name, int(lo), int(hi)) for name, (lo, hi) in age.items()]
        else:
            raise ValueError("age must be 'group', 'single' or a mapping of names to (first, last) ages")
        if any(not 0 <= lo <= hi <= self.max_age for _, lo, hi in ranges):
            raise ValueError(f"ages must lie between 0 and {self.max_age}")
        births = np.zeros(self.deaths.shape, dtype=self.deaths.dtype)
        births[..., 0] = self.births
        aged_on = np.zeros_like(self.population)
        aged_on[:, 0, ..., 1:] = self.base_population[..., :-1]
        aged_on[:, 0, ..., -1] += self.base_population[..., -1]
        aged_on[:, 1:, ..., 1:] = self.population[:, :-1, ..., :-1]
        aged_on[:, 1:, ..., -1] += self.population[:, :-1, ..., -1]
        arrays = {"population": self.population, "aged_on": aged_on, "births": births, "deaths": self.deaths,
                  "moved_in": self.moved_in, "moved_out": self.moved_out}
        regions = list(self.regions) + ([] if total is None else [total])
        shaped = {}
        # Sums over any (possibly overlapping) age ranges as one product with a 0/1 matrix; counts are
        # integers far below 2**53, so the float product is exact.
        select = np.zeros((self.max_age + 1, len(ranges)))
        for j, (_, lo, hi) in enumerate(ranges):
            select[lo:hi + 1, j] = 1.0
        for name, x in arrays.items():
            flat = x.reshape(-1, x.shape[-1]).astype(np.float64) @ select
            x = np.rint(flat).astype(np.int64).reshape(x.shape[:-1] + (len(ranges),))
            x = np.concatenate([x, x.sum(axis=3, keepdims=True)], axis=3)  # sex "all"
            if total is not None:
                x = np.concatenate([x, x.sum(axis=2, keepdims=True)], axis=2)
            shaped[name] = x                                               # (S, H, regions, 3, ranges)
        pop = shaped["population"].astype(np.float64)
        mean = pop.mean(axis=0)
        q = np.quantile(pop, _QUANTILES, axis=0)
        columns = {
            "mean": mean,
            "lower_80": np.minimum(q[1], mean), "upper_80": np.maximum(q[2], mean),
            "lower_95": np.minimum(q[0], mean), "upper_95": np.maximum(q[3], mean),
        }
        columns.update({name: shaped[name].mean(axis=0) for name in
                        ("aged_on", "births", "deaths", "moved_in", "moved_out")})
        grid = np.meshgrid(np.arange(len(self.years)), np.arange(len(regions)), np.arange(3),
                           np.arange(len(ranges)), indexing="ij")
        sexes = [*self.sexes, "all"]
        labels = [name for name, _, _ in ranges]
        frame = pl.DataFrame({
            "region": pl.Series([regions[i] for i in grid[1].ravel()], dtype=pl.String),
            "year": np.asarray(self.years, dtype=np.int64)[grid[0].ravel()],
            "sex": pl.Series([sexes[i] for i in grid[2].ravel()], dtype=pl.String),
            ("age" if age == "single" else "age_group"): pl.Series([labels[i] for i in grid[3].ravel()]),
            **{name: values.ravel() for name, values in columns.items()},
        })
        return frame.sort("region", "year", maintain_order=True)

    def summary(self) -> str:
        """A few lines: the base and final totals per region with their 80% and 95% intervals."""
        frame = self.to_frame(total="total").filter((pl.col("sex") == "all") & (pl.col("age_group") == "all"))
        base = dict(zip(self.regions, self.base_population.sum(axis=(1, 2)).tolist()))
        base["total"] = sum(base.values())
        lines = [f"Cohort-component projection, {self.n_simulations} runs, {self.base_year} -> {self.years[-1]}"]
        for row in frame.filter(pl.col("year") == self.years[-1]).iter_rows(named=True):
            lines.append(f"{row['region']}: {base[row['region']]:,} -> {row['mean']:,.0f} "
                         f"(80% {row['lower_80']:,.0f}-{row['upper_80']:,.0f}; "
                         f"95% {row['lower_95']:,.0f}-{row['upper_95']:,.0f})")
        return "\n".join(lines)


class CohortComponentProjection:
    """Project a population by region, sex and single year of age with the cohort-component method.

    Parameters
    ----------
    horizon : int, default 10
        Number of years to project after the last observed year.
    n_simulations : int, default 500
        Number of simulation runs the intervals are taken from.
    seed : int, default 0
        Seed of the random generator: the same data, parameters and seed give the same projection.
    window : int, default 5
        Number of most recent observed years of events the rates are estimated from.
    max_age : int, default 100
        The oldest age, open-ended (ages above it in the data are counted in it).
    group_width : int, default 5
        Width of the age groups of :meth:`Projection.to_frame`.
    top_group : int, default 90
        Start of the open oldest age group of :meth:`Projection.to_frame` (``"90+"``).
    fertility_schedule : sequence of float, optional
        Relative age-specific fertility of mothers aged 15-19, 20-24, ..., 45-49 (any scale: only the
        shape is used). Defaults to :data:`STANDARD_FERTILITY`.
    fertility_trend : {"damped", "constant"}, default "damped"
        ``"damped"``: the total fertility rate continues the trend of the ``window`` years (a straight
        line through the logarithm of the province's yearly total fertility), each projected year
        keeping a share ``φ`` (``damping``) of the previous year's change; the trend's standard error
        and the range of ``φ`` widen the intervals. ``"constant"``: fertility stays at its average
        level of the window (the method before issue #11, kept as the baseline a backtest compares
        against).
    damping : (float, float) or float, default (0.65, 1.05)
        Range of the damping factor φ of the fertility trend: after ``h`` years the logarithm of
        fertility has moved by the yearly trend times ``φ + φ² + … + φʰ`` (5.7 years' worth after ten
        years at φ = 0.85, 10 at φ = 1, 13 at φ = 1.05). How long a trend lasts is not known, so each run
        draws its own φ uniformly in the range: a decline that fades within a few years, one that goes
        on at its pace and one that gathers a little pace all lie inside the intervals; ``tfr_path_``
        uses the middle of the range. ``1`` continues the trend undamped in every run, ``0.85`` damps
        it by a fixed factor.
    jump_off : {"observed", "trend"}, default "observed"
        Where the trend starts (with ``"damped"``): the province's total fertility rate observed in the
        base year, or the fitted line's value in that year. A line through five years lags a series
        that turns (the demo province's births rose to 2018 and fell after): from the line, the projection would
        start above a falling last year and rise before it falls.

    Attributes
    ----------
    regions_ : tuple of str
        Regions, in the order of every per-region array.
    base_year_ : int
        The last observed year; the projection starts from its year-end population.
    window_years_ : tuple of int
        The years whose events the rates were estimated from.
    base_population_ : numpy.ndarray
        Year-end population of the base year, shape ``(n_regions, 2, max_age + 1)``.
    death_rate_ : numpy.ndarray
        Probability of dying in the year by region, sex and age reached, relative to the cohort at the
        start of the year (or, at age 0, to its births); shape ``(n_regions, 2, max_age + 1)``.
    out_rate_ : numpy.ndarray
        Probability of moving out of the region in the year, same shape and base as ``death_rate_``.
    in_moves_ : numpy.ndarray
        Expected moves into the region a year, same shape.
    tfr_ : numpy.ndarray
        Total fertility rate by region in the base year (children per woman over ages 15-49 at the
        year's rates): the province's rate observed in the base year (or on the fitted line, with
        ``jump_off="trend"``) times the region's ratio to the province over the window, with
        ``"damped"``; the window's average with ``"constant"``.
    tfr_history_ : numpy.ndarray
        Observed total fertility rate by window year and region, shape ``(len(window_years_), n_regions)``.
    fertility_trend_ : float
        Yearly change of the logarithm of the total fertility rate over the window (all regions
        pooled; 0 with ``"constant"``): −0.04 is a fall of about 4 % a year.
    fertility_trend_se_ : float
        Standard error of ``fertility_trend_`` (0 with ``"constant"``), widened to Student's t: with
        ``n`` window years, least squares' error times ``t(0.975, n - 2) / 1.96`` (1.6 for five years).
    fertility_level_se_ : float
        Standard error of the trend line's mean logarithm over the window, widened alike.
    tfr_path_ : numpy.ndarray
        Total fertility rate by projected year and region on the fitted trend damped by the middle of
        ``damping``, shape ``(horizon, n_regions)`` (each run draws its own trend around it).
    fertility_ : numpy.ndarray
        Births per woman a year by single age in the base year, shape ``(n_regions, max_age + 1)``.
    male_birth_share_ : float
        Share of boys among births (all regions pooled).
    variation_ : dict of str to Variation
        Year-to-year variation of the level of ``"deaths"``, ``"moved_out"``, ``"moved_in"`` and
        ``"births"``.
    closure_error_ : float
        How far the data break the accounting identity: the sum of absolute cohort residuals over the
        estimation window divided by the population summed over it (0 for a register that closes).

    Notes
    -----
    *Mortality and moves out*: the age schedule is pooled over all regions and the estimation window
    (age 0, 1-4, then five-year groups; the sample of a register is too small for every region and
    single age), and each region gets its own level by indirect standardisation (its events over
    the events the pooled schedule expects). *Moves in* are a yearly count per region (arrivals depend
    on where people come from, not on the size of the destination), spread over sex and age with the
    pooled age profile of arrivals. *Fertility*: the register links no child to a mother, so births
    are estimated as a level (the total fertility rate) per region from its births and its women
    aged 15-49, with the standard age shape ``fertility_schedule``; boys are ``male_birth_share_`` of
    births. The level moves with a trend common to all regions: the slope of a least-squares line
    through the logarithm of the province's total fertility rate in the window years, continued from
    the base year's observed rate with damping (``damping``); each region keeps its ratio to the
    province over the window (a sample is too thin for a trend per region).

    *Uncertainty*: for each component and region, the logarithm of each observed year's level
    (observed over expected events) varies around the long-run level (for fertility, around the
    trend); its variance minus the Poisson part ``1 / expected`` is the yearly variation of the rate,
    and its variance over the number of years is the uncertainty of the level. Both are split into a
    part common to all regions (from the sum over regions) and a regional remainder. A run multiplies
    each rate by ``exp(level shock + yearly shock - variance / 2)`` (mean-preserving) and then draws
    the events. For fertility the common level's uncertainty is the trend line's: each run draws its
    own line (its mean and slope from their estimates and standard errors) and its own damping from
    the range ``damping``, so the births' intervals widen with the horizon as the trend's uncertainty
    accumulates.

    Examples
    --------
    >>> model = CohortComponentProjection(horizon=10, n_simulations=200, seed=1).fit(population, events)
    >>> frame = model.predict().to_frame(total="130900")
    """

    def __init__(self, horizon: int = 10, n_simulations: int = 500, seed: int = 0, window: int = 5,
                 max_age: int = 100, group_width: int = 5, top_group: int = 90,
                 fertility_schedule: tuple[float, ...] | None = None,
                 fertility_trend: Literal["damped", "constant"] = "damped",
                 damping: tuple[float, float] = DAMPING, jump_off: Literal["observed", "trend"] = "observed"):
        self.horizon = horizon
        self.n_simulations = n_simulations
        self.seed = seed
        self.window = window
        self.max_age = max_age
        self.group_width = group_width
        self.top_group = top_group
        self.fertility_schedule = fertility_schedule
        self.fertility_trend = fertility_trend
        self.damping = damping
        self.jump_off = jump_off

    # -- fitting ---------------------------------------------------------------------------------

    def fit(self, population, events) -> CohortComponentProjection:
        """Estimate the rates from observed year-end populations and the events between them.

        Parameters
        ----------
        population : polars.DataFrame or pandas.DataFrame
            Columns ``region, year, sex, age, population``: year-end residents by region, year, sex
            (``"male"``/``"female"``) and age reached in that year (year minus birth year). Years must
            be consecutive; the last one is the base year. Missing rows count as 0.
        events : polars.DataFrame or pandas.DataFrame
            Columns ``region, year, sex, age, births, deaths, moved_in, moved_out``: the year's events
            by cohort, with ``age`` as in ``population``. ``births`` (children born in the year, by
            their sex) is on age-0 rows only. Moves are across the region's own border.

        Returns
        -------
        CohortComponentProjection
            ``self``, with the fitted attributes set.

        Raises
        ------
        ValueError
            On a missing column, an unknown sex, a negative count, births outside age 0, fewer than
            two consecutive observed years, or events of no observed year.
        """
        self._check_parameters()
        pop = _frame(population, _POPULATION_COLUMNS, "population")
        ev = _frame(events, _EVENT_COLUMNS, "events")
        if ev.filter((pl.col("age") > 0) & (pl.col("births") != 0)).height:
            raise ValueError("events: births must be on age-0 rows only (the cohort born in the year)")
        years = sorted(set(pop["year"].to_list()))
        if len(years) < 2 or years != list(range(years[0], years[-1] + 1)):
            raise ValueError("population: needs at least two consecutive years, without gaps")
        regions = tuple(sorted(set(pop["region"].to_list()) | set(ev["region"].to_list())))
        first, base = years[0], years[-1]
        event_years = [y for y in range(first + 1, base + 1)]
        window = event_years[-self.window:]
        if not set(ev["year"].to_list()) & set(window):
            raise ValueError(f"events: no events in the estimation years {window[0]}-{window[-1]}")

        A = self.max_age + 1
        P = _cube(pop, "population", regions, years, A)                       # (Y, R, 2, A)
        E = {c: _cube(ev, c, regions, event_years, A) for c in ("births", "deaths", "moved_in", "moved_out")}
        w = slice(len(event_years) - len(window), len(event_years))
        start = _age_on(P[:-1])[w]                                            # cohort at the start of each window year
        births = E["births"][w]
        deaths, moved_in, moved_out = E["deaths"][w], E["moved_in"][w], E["moved_out"][w]
        exposure = start.copy()
        exposure[..., 0] = births[..., 0]                                     # age 0: at risk from birth
        after = P[1:][w]

        residual = after - (start + births - deaths + moved_in - moved_out)
        self.closure_error_ = float(np.abs(residual).sum() / max(after.sum(), 1))

        groups = _abridged_groups(self.max_age)
        self.death_rate_, deaths_expected = _schedule(deaths, exposure, groups)
        self.out_rate_, out_expected = _schedule(moved_out, exposure, groups)

        # Moves in: a count per region a year, spread with the pooled sex-age profile of arrivals.
        profile = _spread(moved_in.sum(axis=(0, 1)), groups)                # (2, A), sums to 1
        in_level = moved_in.sum(axis=(2, 3)).mean(axis=0).astype(float)        # (R,)
        self.in_moves_ = in_level[:, None, None] * profile[None]
        in_expected = np.broadcast_to(in_level, (len(window), len(regions)))

        # Fertility: a level per region on the standard age shape, moving with a common trend.
        shape = self._fertility_shape()                                       # (A,) births per woman, TFR = 1
        women = (P[:-1][w][:, :, 1, :] + P[1:][w][:, :, 1, :]) / 2.0         # (W, R, A) mid-year women
        births_total = births[..., 0].sum(axis=2)                             # (W, R)
        births_unit = (women * shape).sum(axis=2)                             # births at TFR = 1
        self.tfr_history_ = np.divide(births_total, births_unit, out=np.zeros(births_total.shape),
                                      where=births_unit > 0)
        trend = _fertility_trend(births_total.sum(axis=1), births_unit.sum(axis=1), np.asarray(window) - base,
                                 self.fertility_trend == "damped", observed_base=self.jump_off == "observed")
        on_trend = (births_unit * trend.path[:, None]).sum(axis=0)          # births the province's line expects
        relative = np.divide(births_total.sum(axis=0), on_trend, out=np.zeros(len(regions)), where=on_trend > 0)
        self.tfr_ = relative * trend.base
        self.fertility_trend_, self.fertility_trend_se_ = trend.slope, trend.slope_se
        self.fertility_level_se_ = trend.mean_se
        middle = _damped_steps(sum(self._damping()) / 2, self.horizon)
        self.tfr_path_ = self.tfr_[None, :] * np.exp(self.fertility_trend_ * middle)[:, None]
        self.fertility_ = self.tfr_[:, None] * shape[None]
        births_expected = births_unit * trend.path[:, None] * relative
        all_births = births[..., 0].sum()
        self.male_birth_share_ = float(births[:, :, 0, 0].sum() / all_births) if all_births else 0.5

        fertility = _variation(births_total, births_expected)
        if trend.slope_se > 0:   # the common level's error is the trend line's (drawn in predict)
            fertility = Variation(annual_common=fertility.annual_common, annual_own=fertility.annual_own,
                                  level_common=np.zeros(len(regions)), level_own=fertility.level_own)
        self.variation_ = {
            "deaths": _variation(deaths.sum(axis=(2, 3)), deaths_expected),
            "moved_out": _variation(moved_out.sum(axis=(2, 3)), out_expected),
            "moved_in": _variation(moved_in.sum(axis=(2, 3)), in_expected),
            "births": fertility,
        }
        self.regions_ = regions
        self.base_year_ = base
        self.window_years_ = tuple(window)
        self.base_population_ = P[-1].astype(np.int64)
        return self

    # -- projecting ------------------------------------------------------------------------------

    def predict(self) -> Projection:
        """Simulate ``n_simulations`` runs of ``horizon`` years from the base year's population.

        Returns
        -------
        Projection
            Every run's population and components by year, region, sex and single age.

        Raises
        ------
        models.NotFittedError
            If called before :meth:`fit`.
        """
        if not hasattr(self, "base_population_"):
            raise NotFittedError(f"{type(self).__name__} is not fitted yet; call fit(population, events) first")
        rng = np.random.default_rng(self.seed)
        S, H = self.n_simulations, self.horizon
        R, _, A = self.base_population_.shape
        shocks = {name: _shocks(rng, v, S, H) for name, v in self.variation_.items()}   # (S, H, R) multipliers
        if self.fertility_trend == "damped":
            # Each run's own fertility trend line: its mean over the window and its slope drawn from their
            # estimates and standard errors (independent in least squares), its damping uniformly in the
            # range (how long a trend lasts is not known either). Years are counted from the window's middle;
            # the line's error at the base year stands for the start's, also when it starts from the observed rate.
            error = rng.standard_normal((S, 2)) * [self.fertility_level_se_, self.fertility_trend_se_]
            offset = self.base_year_ - float(np.mean(self.window_years_))
            steps = _damped_steps(rng.uniform(*self._damping(), S), H)                    # (S, H)
            variance = self.fertility_level_se_ ** 2 + ((offset + steps) * self.fertility_trend_se_) ** 2
            drift = (error[:, :1] + error[:, 1:] * offset + (self.fertility_trend_ + error[:, 1:]) * steps
                     - variance / 2)
            shocks["births"] = shocks["births"] * np.exp(drift)[:, :, None]
        young, old = FERTILE_AGES

        out = {name: np.empty((S, H, R, 2, A), dtype=np.int32) for name in ("population", "deaths", "moved_in", "moved_out")}
        births_out = np.empty((S, H, R, 2), dtype=np.int32)
        previous = np.broadcast_to(self.base_population_, (S, R, 2, A)).astype(np.int64)
        for h in range(H):
            start = _age_on(previous)
            q = np.clip(self.death_rate_[None] * shocks["deaths"][:, h, :, None, None], 0.0, 1.0)
            o = np.clip(self.out_rate_[None] * shocks["moved_out"][:, h, :, None, None], 0.0, 1.0)
            # Moves out are drawn from the survivors with the probability that gives o x cohort on average.
            o_survivor = np.divide(o, 1.0 - q, out=np.zeros_like(o), where=q < 1.0).clip(0.0, 1.0)
            lam_in = self.in_moves_[None] * shocks["moved_in"][:, h, :, None, None]

            deaths = np.zeros((S, R, 2, A), dtype=np.int64)
            moved_out = np.zeros((S, R, 2, A), dtype=np.int64)
            moved_in = rng.poisson(lam_in).astype(np.int64)
            deaths[..., 1:] = rng.binomial(start[..., 1:], q[..., 1:])
            moved_out[..., 1:] = rng.binomial(start[..., 1:] - deaths[..., 1:], o_survivor[..., 1:])
            now = start - deaths + moved_in - moved_out          # ages 1+; age 0 follows the births

            women = (previous[:, :, 1, young:old] + now[:, :, 1, young:old]) / 2.0
            expected = (women * self.fertility_[None, :, young:old]).sum(axis=-1) * shocks["births"][:, h]
            born = rng.poisson(expected)                                             # (S, R)
            boys = rng.binomial(born, self.male_birth_share_)
            newborn = np.stack([boys, born - boys], axis=-1)                         # (S, R, 2)
            deaths[..., 0] = rng.binomial(newborn, q[..., 0])
            moved_out[..., 0] = rng.binomial(newborn - deaths[..., 0], o_survivor[..., 0])
            now[..., 0] = newborn - deaths[..., 0] + moved_in[..., 0] - moved_out[..., 0]

            out["population"][:, h], out["deaths"][:, h] = now, deaths
            out["moved_in"][:, h], out["moved_out"][:, h] = moved_in, moved_out
            births_out[:, h] = newborn
            previous = now

        for array in (*out.values(), births_out):
            array.setflags(write=False)
        base = self.base_population_.copy()
        base.setflags(write=False)
        return Projection(
            regions=self.regions_, years=tuple(range(self.base_year_ + 1, self.base_year_ + H + 1)),
            base_year=self.base_year_, sexes=SEXES, max_age=self.max_age, base_population=base,
            population=out["population"], births=births_out, deaths=out["deaths"],
            moved_in=out["moved_in"], moved_out=out["moved_out"], age_groups=self._age_groups(),
        )

    # -- helpers ---------------------------------------------------------------------------------

    def _check_parameters(self) -> None:
        for name in ("horizon", "n_simulations", "window"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.max_age < FERTILE_AGES[1] or not 0 < self.top_group <= self.max_age:
            raise ValueError("max_age must be at least 50 and top_group between 1 and max_age")
        if self.top_group % self.group_width:
            raise ValueError("top_group must be a multiple of group_width")
        if self.fertility_trend not in FERTILITY_TRENDS:
            raise ValueError(f"fertility_trend must be one of {', '.join(FERTILITY_TRENDS)}")
        if self.jump_off not in JUMP_OFFS:
            raise ValueError(f"jump_off must be one of {', '.join(JUMP_OFFS)}")
        self._damping()

    def _damping(self) -> tuple[float, float]:
        """The range of the fertility trend's damping factor, checked."""
        low, high = (self.damping, self.damping) if np.isscalar(self.damping) else self.damping
        if not 0.0 <= float(low) <= float(high) <= 1.2:
            raise ValueError("damping must be a number or a range (low, high) with 0 <= low <= high <= 1.2")
        return float(low), float(high)

    def _fertility_shape(self) -> np.ndarray:
        schedule = np.asarray(self.fertility_schedule or STANDARD_FERTILITY, dtype=float)
        young, old = FERTILE_AGES
        width = (old - young) // len(schedule)
        if width * len(schedule) != old - young or (schedule < 0).any() or schedule.sum() <= 0:
            raise ValueError("fertility_schedule: one non-negative value per equal age group of 15-49")
        shape = np.zeros(self.max_age + 1)
        shape[young:old] = np.repeat(schedule / schedule.sum() / width, width)
        return shape

    def _age_groups(self) -> tuple[tuple[str, int, int], ...]:
        groups = [(f"{lo:02d}-{lo + self.group_width - 1:02d}", lo, lo + self.group_width - 1)
                  for lo in range(0, self.top_group, self.group_width)]
        return (*groups, (f"{self.top_group}+", self.top_group, self.max_age))


def _frame(data, columns: tuple[str, ...], what: str) -> pl.DataFrame:
    frame = data if isinstance(data, pl.DataFrame) else pl.from_pandas(data)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}")
    frame = frame.select(columns)
    sexes = set(frame["sex"].unique().to_list()) - set(SEXES)
    if sexes:
        raise ValueError(f"{what}: sex must be 'male' or 'female', not {sorted(map(str, sexes))}")
    counts = [c for c in columns[4:] if (frame[c].fill_null(0) < 0).any()]
    if counts:
        raise ValueError(f"{what}: negative counts in {', '.join(counts)}")
    return frame.with_columns(pl.col("region").cast(pl.String), pl.col("year").cast(pl.Int64),
                              pl.col("age").cast(pl.Int64))


def _cube(frame: pl.DataFrame, column: str, regions: tuple[str, ...], years: list[int], A: int) -> np.ndarray:
    """(year, region, sex, age) array of one count column; ages above the open age are added into it."""
    cube = np.zeros((len(years), len(regions), 2, A), dtype=np.int64)
    part = frame.filter(pl.col("year").is_in(years))
    if part.is_empty():
        return cube
    y = part["year"].to_numpy() - years[0]
    r = part["region"].replace_strict({name: i for i, name in enumerate(regions)}, return_dtype=pl.Int64).to_numpy()
    s = (part["sex"] == "female").to_numpy().astype(int)
    a = np.clip(part["age"].to_numpy(), 0, A - 1)
    np.add.at(cube, (y, r, s, a), part[column].fill_null(0).to_numpy().astype(np.int64))
    return cube


def _age_on(population: np.ndarray) -> np.ndarray:
    """Each cohort one year older along the last axis: age 0 empties, the open age keeps its own."""
    aged = np.zeros_like(population)
    aged[..., 1:] = population[..., :-1]
    aged[..., -1] += population[..., -1]
    return aged


def _abridged_groups(max_age: int) -> np.ndarray:
    """Group index of every single age: 0, 1-4, 5-9, ..., and the open age alone."""
    ages = np.arange(max_age + 1)
    groups = np.where(ages == 0, 0, np.where(ages < 5, 1, 1 + ages // 5))
    groups[-1] = groups[-2] + 1
    return groups


def _schedule(events: np.ndarray, exposure: np.ndarray, groups: np.ndarray):
    """Pooled (sex, age-group) rates times a level per region, by indirect standardisation.

    Returns the rates ``(R, 2, A)`` and the expected events per window year and region under the
    pooled schedule and the region's level ``(W, R)``.
    """
    n = groups.max() + 1
    ev = np.zeros((2, n))
    ex = np.zeros((2, n))
    for s in range(2):
        np.add.at(ev[s], groups, events[:, :, s, :].sum(axis=(0, 1)))
        np.add.at(ex[s], groups, exposure[:, :, s, :].sum(axis=(0, 1)))
    pooled = np.divide(ev, ex, out=np.zeros_like(ev), where=ex > 0)[:, groups]     # (2, A)
    expected = (exposure * pooled[None, None]).sum(axis=(2, 3))                    # (W, R)
    observed = events.sum(axis=(2, 3))
    level = np.divide(observed.sum(axis=0), expected.sum(axis=0), out=np.ones(observed.shape[1]),
                      where=expected.sum(axis=0) > 0)
    rates = np.clip(level[:, None, None] * pooled[None], 0.0, 1.0)
    return rates, expected * level


def _spread(counts: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """(2, A) counts pooled within age groups and spread evenly over their single ages; sums to 1."""
    n = groups.max() + 1
    width = np.bincount(groups, minlength=n)
    pooled = np.zeros((2, n))
    for s in range(2):
        np.add.at(pooled[s], groups, counts[s])
    total = pooled.sum()
    if total == 0:
        return np.zeros(counts.shape)
    return (pooled / width)[:, groups] / total


@dataclass(frozen=True)
class _Trend:
    """A straight line through the logarithm of yearly total fertility (years counted from the base year)
    and where the projection starts."""

    base: float          # total fertility rate the projection starts from: observed in the base year, or on the line
    mean_se: float       # standard error of the line's mean logarithm over the window
    slope: float         # yearly change of the logarithm
    slope_se: float      # its standard error (both widened to Student's t, see _fertility_trend)
    path: np.ndarray     # (W,) the line's total fertility in each window year


def _fertility_trend(births: np.ndarray, unit: np.ndarray, years: np.ndarray, trend: bool,
                     observed_base: bool = True) -> _Trend:
    """Fit log(births / births at TFR 1) = a + b·year over the window (years relative to the base year).

    The projection starts from the base year's observed rate (``observed_base``) or from the line's value
    there; the line's error at the base year stands for the start's (a year's deviation from the line
    may be passing, or may last).

    Without ``trend`` (or with fewer than three years, or a year without births) the line is flat at the
    window's pooled level and carries no error of its own: the level's error then comes from
    :func:`_variation`, as for the other components. The standard errors are those of least squares
    times ``t(0.975, n - 2) / 1.96``: with the residual variance estimated from a handful of years, a
    normal draw with these errors has the 95% range of Student's t.
    """
    pooled = births.sum() / unit.sum() if unit.sum() > 0 else 0.0
    usable = trend and len(years) >= 3 and (births > 0).all() and (unit > 0).all()
    if not usable:
        return _Trend(base=float(pooled), mean_se=0.0, slope=0.0, slope_se=0.0, path=np.full(len(years), pooled))
    y = np.log(births / unit)
    centred = years - years.mean()
    sxx = float((centred ** 2).sum())
    slope = float((centred * (y - y.mean())).sum() / sxx)
    level = float(y.mean() - slope * years.mean())        # the line in the base year (year 0)
    residual = y - (level + slope * years)
    widen = float(stats.t.ppf(0.975, len(years) - 2) / stats.norm.ppf(0.975))
    s = widen * float(np.sqrt((residual ** 2).sum() / (len(years) - 2)))
    start = float(births[-1] / unit[-1]) if observed_base else float(np.exp(level))
    return _Trend(base=start, mean_se=s / np.sqrt(len(years)), slope=slope,
                  slope_se=s / np.sqrt(sxx), path=np.exp(level + slope * years))


def _damped_steps(phi, horizon: int) -> np.ndarray:
    """How many years of the yearly trend each projected year has moved, φ + φ² + … + φʰ, for h = 1 … horizon
    (``phi`` a number, or one per run: the result has shape ``(horizon,)`` or ``(runs, horizon)``)."""
    return np.cumsum(np.asarray(phi, dtype=float)[..., None] ** np.arange(1, int(horizon) + 1), axis=-1)


def _log_var(observed: np.ndarray, expected: np.ndarray) -> tuple[float, float]:
    """Variance over years of log(observed / expected) and its Poisson part, for one series."""
    if len(observed) < 2 or expected.sum() <= 0:
        return 0.0, 0.0
    logs = np.log((observed + 0.5) / (expected + 0.5))
    return float(np.var(logs, ddof=1)), float(np.mean(1.0 / (expected + 0.5)))


def _variation(observed: np.ndarray, expected: np.ndarray) -> Variation:
    """Yearly and level variation of a component from (window year, region) observed and expected counts."""
    W, R = observed.shape
    common_total, common_poisson = _log_var(observed.sum(axis=1), expected.sum(axis=1))
    annual_common2 = max(common_total - common_poisson, 0.0)
    level_common2 = common_total / W
    annual = np.zeros(R)
    level = np.zeros(R)
    for r in range(R):
        total, poisson = _log_var(observed[:, r], expected[:, r])
        annual[r] = max(total - poisson, 0.0)
        level[r] = total / W
    a_common = np.sqrt(np.minimum(annual, annual_common2))
    l_common = np.sqrt(np.minimum(level, level_common2))
    return Variation(annual_common=a_common, annual_own=np.sqrt(np.maximum(annual - a_common ** 2, 0.0)),
                     level_common=l_common, level_own=np.sqrt(np.maximum(level - l_common ** 2, 0.0)))


def _shocks(rng: np.random.Generator, v: Variation, S: int, H: int) -> np.ndarray:
    """(S, H, R) mean-one multipliers: a persistent level shock plus a fresh yearly shock."""
    R = len(v.annual_own)
    z = (rng.standard_normal((S, 1, 1)) * v.level_common + rng.standard_normal((S, 1, R)) * v.level_own
         + rng.standard_normal((S, H, 1)) * v.annual_common + rng.standard_normal((S, H, R)) * v.annual_own)
    variance = v.level_common ** 2 + v.level_own ** 2 + v.annual_common ** 2 + v.annual_own ** 2
    return np.exp(z - variance / 2)
