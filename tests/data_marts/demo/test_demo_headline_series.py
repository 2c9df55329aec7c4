"""The demo's headline series have no cliff that the published facts do not have (issue #11).

A leader reads year-on-year changes; a step made by the generator (two sources meeting, a start-up
year) reads as news. Each series is checked on the generators themselves, where sampling noise can be
made small: the population microsimulation at scale 0.01 (about 3,800 residents per 万 of published
population), the legal-entity registration model at scale 0.1, and housing build years from 10⁶ draws,
plus the expected values the population generator is built from (no noise at all).

Tolerance per series (``calibration.JUMP_TOLERANCE``, each with its reason): the largest year-on-year
change the published facts have (shared/domain/guizhou.md) with room, and for sample counts 4 standard
errors of Poisson noise on top (``tests/data_marts/headline.py``). A published jump is allowed only where
it is documented there.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from data_marts.demo import housing, legal_entities, population
from data_marts.demo.calibration import BIRTH_RATE, DEATH_RATE, JUMP_TOLERANCE as TOLERANCE, POPULATION_WAN
from tests.data_marts.headline import Z, jumps as _jumps, published_births

POPULATION_SCALE = 0.01
ENTITY_SCALE = 0.1
SEED = 20241231


@pytest.fixture(scope="module")
def register() -> dict[str, np.ndarray]:
    """The population microsimulation's clean rows, with the year of each event."""
    reg = population._simulate(POPULATION_SCALE, np.random.default_rng([SEED, 52, 1]))

    def year_of(days):
        y = days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
        return np.where(days == population.NA, 9999, y)

    from_outside = reg["origin"] >= len(population.COUNTIES)   # arrived from another province
    return {"byear": reg["byear"].astype(np.int64), "death": year_of(reg["death"]),
            "leave": year_of(reg["leave"]), "settle": year_of(reg["settle"]), "outside": from_outside}


def _resident(r, year: int) -> np.ndarray:
    return ((r["byear"] <= year) & (r["death"] > year) & (r["leave"] > year)
            & ~(r["outside"] & (r["settle"] > year)))


def test_residents_births_and_deaths_move_like_the_published_series(register):
    r = register
    residents = {y: int(_resident(r, y).sum()) for y in range(2014, 2025)}
    births = {y: int(((r["byear"] == y) & ~r["outside"]).sum()) for y in range(2015, 2025)}
    deaths = {y: int((r["death"] == y).sum()) for y in range(2015, 2025)}
    assert not _jumps(residents, TOLERANCE["residents"], counts=False)
    assert not _jumps(births, TOLERANCE["births"])
    assert not _jumps(deaths, TOLERANCE["deaths"])


def test_gross_moves_change_no_more_than_the_published_net_moves(register):
    r = register
    moved_in = {y: int((r["outside"] & (r["settle"] == y)).sum()) for y in range(2015, 2025)}
    moved_out = {y: int((r["leave"] == y).sum()) for y in range(2015, 2025)}
    net = {y: POPULATION_SCALE * 1e4 * (POPULATION_WAN[y] - POPULATION_WAN[y - 1]
                                          - (BIRTH_RATE[y] - DEATH_RATE[y]) / 1000 * (POPULATION_WAN[y - 1] + POPULATION_WAN[y]) / 2)
           for y in range(2015, 2025)}
    bad = []
    for name, flow in (("moved_in", moved_in), ("moved_out", moved_out)):
        for year in range(2016, 2025):
            change = abs(flow[year] - flow[year - 1])
            limit = (abs(net[year] - net[year - 1]) + TOLERANCE["moves"] * flow[year - 1]
                     + Z * math.sqrt(flow[year] + flow[year - 1]))
            if change > limit:
                bad.append(f"{name} {year - 1}→{year}: {flow[year - 1]} → {flow[year]} (published net {net[year - 1]:.0f} → {net[year]:.0f})")
    assert not bad


def test_cohorts_by_birth_year_follow_the_published_births(register):
    """People born in each year 1955-2024 at the end of 2024, against the published births of those years."""
    r = register
    alive = _resident(r, 2024)
    cohorts = {b: int((alive & (r["byear"] == b)).sum()) for b in range(1955, 2025)}
    expected = {b: published_births(b) for b in cohorts}
    assert not _jumps(cohorts, TOLERANCE["cohorts"], expected)


@pytest.mark.parametrize("age", [6, 12], ids=["primary", "junior_secondary"])
def test_school_entrants_follow_the_published_births(register, age):
    """Children turning 6 (primary) or 12 (junior secondary, 小升初) in 2015-2024."""
    r = register
    entrants = {y: int((_resident(r, y) & (r["byear"] == y - age)).sum()) for y in range(2015, 2025)}
    expected = {y: published_births(y - age) for y in entrants}
    assert not _jumps(entrants, TOLERANCE["cohorts"], expected)


def test_the_expected_pyramids_have_no_step_between_birth_years():
    """The end-2014 stock and the 2020 target the generator is built from (expected values, no noise):
    single-year cohorts aged 0-69, against the published births of their birth years."""
    q = population.mortality()
    stock, _, _ = population._stock_2014()
    shares = {y: np.array([population.prefecture_share(y)[p] for p in population.PREFECTURES]) for y in (2014, 2020)}
    province_2014 = (stock * shares[2014][:, None]).sum(axis=0)
    province_2020 = sum(population._pyramid_2020(i, p, q, 1.0)[0] * shares[2020][i]
                        for i, p in enumerate(population.PREFECTURES))
    for year, pyramid in ((2014, province_2014), (2020, province_2020)):
        cohorts = {year - a: float(pyramid[a]) for a in range(70)}
        expected = {b: published_births(b) for b in cohorts}
        assert not _jumps(cohorts, TOLERANCE["cohorts"], expected, counts=False), year


@pytest.fixture(scope="module")
def entity_events() -> tuple[np.ndarray, np.ndarray]:
    """Set-ups and cancellations of every kind of entity in the library, at ENTITY_SCALE (days since 1970)."""
    rng = np.random.default_rng(SEED)
    born, cancelled = [], []
    for kind in legal_entities.KINDS:
        b, c = legal_entities._births_and_closures(kind, kind.active_2023 * ENTITY_SCALE, rng)
        born.append(b)
        cancelled.append(c[c != legal_entities.NO_DATE])
    return np.concatenate(born), np.concatenate(cancelled)


def _by_month(days: np.ndarray) -> np.ndarray:
    """Counts per month of 2015-2024, shape (10, 12)."""
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) - (2015 - 1970) * 12
    months = months[(months >= 0) & (months < 120)]
    return np.bincount(months, minlength=120).reshape(10, 12)


def test_entity_set_ups_cancellations_and_stock_have_no_start_up_year(entity_events):
    born, cancelled = entity_events
    new, gone = _by_month(born), _by_month(cancelled)
    for name, monthly in (("set-ups", new), ("cancellations", gone)):
        yearly = dict(zip(range(2015, 2025), monthly.sum(axis=1).tolist()))
        assert not _jumps(yearly, TOLERANCE["entities"]), name
    # Cancellations have no season: no month of 2015-2024 may fall below half its year's average.
    assert (gone >= 0.5 * gone.mean(axis=1, keepdims=True)).all(), gone.min(axis=1)
    ends = {y: int((born <= _day(y)).sum()) - int((cancelled <= _day(y)).sum()) for y in range(2015, 2025)}
    assert not _jumps(ends, TOLERANCE["entities"])


def _day(year: int) -> int:
    return (dt.date(year, 12, 31) - dt.date(1970, 1, 1)).days


def test_housing_completions_grow_smoothly():
    kind = np.random.default_rng(SEED).integers(0, 3, 1_000_000)
    years = housing._build_years(np.random.default_rng(SEED), kind)
    built = {y: int((years == y).sum()) for y in range(1990, 2025)}
    assert not _jumps(built, TOLERANCE["housing"])
    stock = {y: int((years <= y).sum()) for y in range(2015, 2025)}
    assert not _jumps(stock, TOLERANCE["housing"])
