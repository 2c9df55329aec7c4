"""Prices fall when supply grows: a piecewise-linear demand curve per crop.

Calibration (see docs/planner.md, "Demand"). The expected price from the outlook is the price at the
volume the market expects, i.e. the province's output if nothing changes (the no-change baseline). Below
that volume the price stays at the outlook (the province sells into national markets, which fill a gap); above
it the price falls linearly with the province's extra output::

    p(Q) = p̂ · (1 + f · (Q − Q₀) / Q₀)      for Q ≥ Q₀,   f = price flexibility (< 0)

The ten years of history cannot identify ``f``: prices and volumes rose together as incomes grew (a
regression of log price on log output gives positive slopes for 12 of 15 crops). So ``f`` is an assumption
per crop, set by how much of its market the province is and how perishable it is — data per region in
``assumptions/<code>.toml`` (``[demand.flexibility]``, see ``assumptions.py``) — and a model parameter a
planner can override.

When a region's output rises by x above its baseline q₀ (the rest of the province unchanged), its farm
revenue loses ``p̄·|f|/Q₀ · (q₀ + x) · x`` against selling everything at the outlook price: convex in x, so
an LP can carry it as a sum of segments with rising slopes (secants between breakpoints, exact at them).
The extra volume is capped where the price would have fallen by ``MAX_PRICE_FALL`` (the market cannot
take more), or at ``MAX_EXCESS`` × Q₀.
"""

from __future__ import annotations

import numpy as np

from models.crop_plan.assumptions import Assumptions

MAX_PRICE_FALL = 0.8       # the market takes extra volume until the price has fallen 80 %
MAX_EXCESS = 3.0           # and never more than three times the province's baseline output
# Breakpoints as shares of the largest extra volume: fine where the plan usually lands.
BREAKS = np.array([0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.55, 0.7, 0.85, 1.0])


def flexibility(code: str, overrides: dict[str, float] | None = None,
                assumed: Assumptions | None = None) -> float:
    """The price flexibility of a crop (negative), from ``overrides`` or the region's assumptions file."""
    assumed = assumed or Assumptions()
    value = (overrides or {}).get(code, assumed.flexibility.get(code, assumed.default_flexibility))
    if not value < 0:
        raise ValueError(f"price flexibility of {code} must be negative, not {value}")
    return float(value)


def max_excess(flex: float, province_output: np.ndarray) -> np.ndarray:
    """The largest extra output the market takes (same units as ``province_output``)."""
    return np.minimum(MAX_PRICE_FALL / abs(flex), MAX_EXCESS) * province_output


def segments(price: np.ndarray, flex: float, province_output: np.ndarray,
             region_output: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Widths and slopes of the revenue-loss segments, one row per year.

    Parameters
    ----------
    price : ndarray, shape (T,)
        Province average expected price (元/kg) at baseline volume, after any price shock.
    flex : float
        Price flexibility (negative).
    province_output, region_output : ndarray, shape (T,)
        Baseline output (kg) of the province and of the planned region.

    Returns
    -------
    widths, slopes : ndarray, shape (T, S)
        Segment ``s`` takes extra output up to ``widths[:, s]`` at a revenue loss of ``slopes[:, s]`` 元/kg;
        slopes rise with ``s`` (convex), so an LP fills the segments in order.
    """
    q0 = np.maximum(province_output, 1.0)[:, None]
    points = BREAKS[None, :] * max_excess(flex, province_output)[:, None]
    lo, hi = points[:, :-1], points[:, 1:]
    widths = hi - lo
    slopes = price[:, None] * abs(flex) / q0 * (region_output[:, None] + lo + hi)
    return widths, slopes


def price_after(price: np.ndarray, flex: float, province_output: np.ndarray, extra: np.ndarray) -> np.ndarray:
    """The price once the province sells ``extra`` kg above its baseline (never below the floor)."""
    fall = abs(flex) * np.maximum(extra, 0) / np.maximum(province_output, 1.0)
    return price * (1 - np.minimum(fall, MAX_PRICE_FALL))
