"""Price and yield scenarios: the CVaR term's sample and the Monte Carlo risk band.

One draw is a factor ``m[k, t]`` on crop k's revenue in plan year t (price factor × yield factor), around 1:

* price: log-normal with the outlook's spread for that crop and year, persistent over the years (AR(1),
  ρ = ``PRICE_PERSISTENCE``: a bad price year tends to be followed by another);
* yield: log-normal with the outlook's spread, half of it a weather shock common to all crops in a year
  (``WEATHER_SHARE``), the rest the crop's own.

Factors are province-wide (every county's tea sells at the same market and sees the same weather);
county-level noise averages out at the level a plan is read. The sample mean of each factor is set to
exactly 1, so the expected income of a plan is the same number in the objective and in the scenarios.
Price and yield shocks are drawn independently (a poor harvest raising prices is not modelled).
"""

from __future__ import annotations

import numpy as np

PRICE_PERSISTENCE = 0.6
WEATHER_SHARE = 0.5


def draw(price_sd: np.ndarray, yield_sd: np.ndarray, n: int, seed: int) -> np.ndarray:
    """Revenue factors, shape (n, K, T), each (k, t) with sample mean exactly 1.

    Parameters
    ----------
    price_sd, yield_sd : ndarray, shape (K, T)
        Log standard deviations of price and yield per crop and plan year.
    n : int
        Number of draws.
    seed : int
        Seed of the generator (the same seed gives the same draws).
    """
    rng = np.random.default_rng(seed)
    K, T = price_sd.shape
    eps = rng.standard_normal((n, K, T))
    z = np.empty_like(eps)
    z[:, :, 0] = eps[:, :, 0]
    for t in range(1, T):
        z[:, :, t] = PRICE_PERSISTENCE * z[:, :, t - 1] + np.sqrt(1 - PRICE_PERSISTENCE**2) * eps[:, :, t]
    weather = rng.standard_normal((n, 1, T))
    own = rng.standard_normal((n, K, T))
    w = np.sqrt(WEATHER_SHARE) * weather + np.sqrt(1 - WEATHER_SHARE) * own
    log_m = price_sd * z - price_sd**2 / 2 + yield_sd * w - yield_sd**2 / 2
    m = np.exp(log_m)
    return m / m.mean(axis=0, keepdims=True)


def tail_mean(values: np.ndarray, alpha: float) -> float:
    """Mean of the worst ``1 - alpha`` share of ``values`` (the CVaR of income, as an income)."""
    ordered = np.sort(np.asarray(values, dtype=float))
    count = max(1, int(np.ceil((1 - alpha) * len(ordered) - 1e-9)))
    return float(ordered[:count].mean())


def band(revenue: np.ndarray, rest: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Income per draw and year: ``Σ_k factors[:, k, t] · revenue[k, t] + rest[t]``, shape (n, T)."""
    return np.einsum("nkt,kt->nt", factors, revenue) + rest[None, :]
