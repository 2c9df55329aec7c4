"""Models: backtested forecasts, population projection and the crop-structure planner.

``models`` knows nothing of the cockpit or of DuckDB: it takes and returns data frames and arrays.
Estimators follow scikit-learn's contract (parameters in ``__init__``, ``fit`` returns ``self``,
fitted attributes end in ``_``) and return immutable, tidy results. This file only re-exports the
public API.
"""

from models.forecast import (FORECASTERS, BacktestResult, Forecast, ForecastFailed, Forecaster,  # noqa: E402
                             NotFittedError, Scores, backtest, forecast)
from models.projection import STANDARD_FERTILITY, CohortComponentProjection, Projection  # noqa: E402
from models.crop_plan import (CropOutlook, CropPlan, CropPlanner, InfeasiblePlan, InvalidPlanInput,  # noqa: E402
                              PlanData, PlanError, PlanInputs)
