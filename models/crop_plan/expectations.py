"""Expected prices and yields per crop × county × year, with their spread: the planner's outlook.

A separate step from the optimisation, run at build time (``cockpit/batch/crop_outlook.py`` stores it as
``mart.crop_outlook``), so that re-solving a scenario never forecasts.

Method: the province series of each crop's price and yield (2015 → base year) is forecast; each county
keeps its own level relative to the province (geometric mean of its ratio over the last three years it
grew the crop; 1 where it never did). The spread is the log standard deviation implied by the
forecast's 80 % interval, ``(ln upper − ln lower) / (2 · 1.2816)``, which the CVaR scenarios and the Monte
Carlo draw from.

Forecaster: the project's shared ``models.forecast`` (issue #4) where it exists; otherwise Holt's damped-trend
exponential smoothing on the log series (statsmodels ``ExponentialSmoothing``, damping fixed at 0.8
because ten points cannot identify it: estimated, it goes to 1 and extrapolates trends for ever), with
the 80 % interval of 1,000 simulated paths. The call is isolated
in :func:`forecast_series`; the ``method`` column of the outlook records which one ran.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import polars as pl

Z80 = 1.2815515655446004  # the 90th percentile of the standard normal: half-width of an 80 % interval
DAMPING = 0.8
SIMULATIONS = 1000
RECENT_YEARS = 3


def forecast_series(years: list[int], values: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray, str]:
    """Forecast one positive annual series ``horizon`` years ahead.

    Returns
    -------
    mean : ndarray, shape (horizon,)
    log_sd : ndarray, shape (horizon,)
        Log standard deviation implied by the 80 % interval.
    method : str
        Which forecaster ran (``models.forecast:<model>`` or ``ets_damped``).
    """
    values = np.asarray(values, dtype=float)
    shared = _shared_forecaster()
    if shared is not None:
        try:
            return _with_shared(shared, years, values, horizon)
        except Exception as error:  # a series the shared forecaster refuses still gets an outlook, and says why
            mean, log_sd, _ = _with_ets(values, horizon)
            return mean, log_sd, f"ets_damped (models.forecast failed: {type(error).__name__})"
    return _with_ets(values, horizon)


def _shared_forecaster():
    """``models.forecast`` (issue #4) if it is there; imported late so either package can load first."""
    try:
        import models
    except ImportError:  # pragma: no cover - models is this package's parent
        return None
    candidate = getattr(models, "forecast", None)
    return candidate if callable(candidate) else None


def _with_shared(forecast, years, values, horizon) -> tuple[np.ndarray, np.ndarray, str]:
    frame = pl.DataFrame({"period": [str(int(y)) for y in years], "value": values})  # annual labels: "2024"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fits on ten points warn about convergence and degrees of freedom
        result = forecast(frame, horizon=horizon, freq="A")
    table = result.to_frame()
    if not isinstance(table, pl.DataFrame):
        table = pl.from_pandas(table)
    table = table.tail(horizon)
    mean = table["mean"].to_numpy().astype(float)
    lower, upper = table["lower_80"].to_numpy().astype(float), table["upper_80"].to_numpy().astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_sd = np.where(lower > 0, (np.log(upper) - np.log(lower)) / (2 * Z80), (upper - mean) / (Z80 * mean))
    mean = np.maximum(mean, 1e-6 * max(values.max(), 1e-6))
    return mean, np.nan_to_num(np.maximum(log_sd, 0.0)), f"models.forecast:{getattr(result, 'model', 'auto')}"


def _with_ets(values, horizon) -> tuple[np.ndarray, np.ndarray, str]:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    logs = np.log(np.maximum(values, 1e-9))
    if len(logs) < 4 or np.ptp(logs) == 0:
        # Too short or flat to fit: carry the last value, spread from the year-on-year changes.
        step = float(np.std(np.diff(logs))) if len(logs) > 2 else 0.0
        return np.repeat(values[-1], horizon), step * np.sqrt(np.arange(1, horizon + 1)), "last_value"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on ten points
        fitted = ExponentialSmoothing(logs, trend="add", damped_trend=True).fit(damping_trend=DAMPING)
        paths = fitted.simulate(horizon, repetitions=SIMULATIONS, error="add", anchor="end", random_state=0)
    lower, upper = np.quantile(np.asarray(paths).reshape(horizon, -1), [0.1, 0.9], axis=1)
    return np.exp(fitted.forecast(horizon)), (upper - lower) / (2 * Z80), "ets_damped"


class CropOutlook:
    """Expected price and yield per crop, county and year, with their spread.

    Parameters
    ----------
    horizon : int
        Years to forecast after the last year of history.

    Attributes
    ----------
    outlook_ : polars.DataFrame
        region_code, crop, year, price_yuan_per_kg, yield_kg_per_mu, price_log_sd, yield_log_sd, method;
        one row per county (and the province) × crop × outlook year.
    base_year_ : int
    """

    def __init__(self, horizon: int = 10) -> None:
        self.horizon = horizon

    def fit(self, history: pl.DataFrame, province: str) -> "CropOutlook":
        """Forecast from ``history``: rows of ``mart.agriculture`` for ``province`` and its counties
        (region_code, region_level, crop, year, area_mu, yield_kg_per_mu, price_yuan_per_kg)."""
        if self.horizon < 1:
            raise ValueError("horizon must be at least one year")
        top = history.filter(pl.col("region_code") == province).sort("crop", "year")
        if top.is_empty():
            raise ValueError(f"no province rows ({province}) in the history")
        base = int(top["year"].max())
        years = list(range(base + 1, base + 1 + self.horizon))
        province_rows, levels = [], {}
        for (crop,), series in top.group_by("crop", maintain_order=True):
            series = series.filter(pl.col("price_yuan_per_kg").is_not_null() & pl.col("yield_kg_per_mu").is_not_null()
                                   & (pl.col("price_yuan_per_kg") > 0) & (pl.col("yield_kg_per_mu") > 0))
            if series.is_empty():
                continue
            history_years = series["year"].to_list()
            price, price_sd, price_method = forecast_series(history_years, series["price_yuan_per_kg"].to_numpy(),
                                                            self.horizon)
            yield_, yield_sd, yield_method = forecast_series(history_years, series["yield_kg_per_mu"].to_numpy(),
                                                             self.horizon)
            method = f"price: {price_method}; yield: {yield_method}"
            levels[crop] = (price, yield_)
            province_rows.append(pl.DataFrame({
                "region_code": province, "crop": crop, "year": years, "price_yuan_per_kg": price,
                "yield_kg_per_mu": yield_, "price_log_sd": price_sd, "yield_log_sd": yield_sd, "method": method}))
        outlook = pl.concat(province_rows)
        ratios = self._county_levels(history, province, base)
        counties = (ratios.join(outlook.drop("region_code"), on="crop")
                    .with_columns(pl.col("price_yuan_per_kg") * pl.col("price_ratio"),
                                  pl.col("yield_kg_per_mu") * pl.col("yield_ratio"))
                    .drop("price_ratio", "yield_ratio"))
        self.outlook_ = pl.concat([outlook, counties.select(outlook.columns)]).sort("region_code", "crop", "year")
        self.base_year_ = base
        return self

    @staticmethod
    def _county_levels(history: pl.DataFrame, province: str, base: int) -> pl.DataFrame:
        """Each county's price and yield relative to the province (1 where it has no recent history)."""
        top = history.filter(pl.col("region_code") == province).select(
            "crop", "year", pl.col("price_yuan_per_kg").alias("p0"), pl.col("yield_kg_per_mu").alias("y0"))
        county = history.filter((pl.col("region_level") == "county") & (pl.col("area_mu") > 0)
                                & (pl.col("year") > base - RECENT_YEARS)
                                & (pl.col("price_yuan_per_kg") > 0) & (pl.col("yield_kg_per_mu") > 0))
        ratios = (county.join(top, on=["crop", "year"])
                  .group_by("region_code", "crop")
                  .agg((pl.col("price_yuan_per_kg") / pl.col("p0")).log().mean().exp().alias("price_ratio"),
                       (pl.col("yield_kg_per_mu") / pl.col("y0")).log().mean().exp().alias("yield_ratio")))
        every = (history.filter(pl.col("region_level") == "county").select("region_code").unique()
                 .join(top.select("crop").unique(), how="cross"))
        return (every.join(ratios, on=["region_code", "crop"], how="left")
                .with_columns(pl.col("price_ratio").fill_null(1.0), pl.col("yield_ratio").fill_null(1.0)))


def log_sd_from_interval(mean: float, lower: float, upper: float) -> float:
    """The log standard deviation an 80 % interval implies (helper for tests and documentation)."""
    return (math.log(upper) - math.log(lower)) / (2 * Z80)
