"""Every interval call-volume model behind the one fit/predict contract (statsforecast-like).

`candidates()` lists the models that compete in each queue's backtest, simplest first: a tie
in the backtest goes to the earlier one.
"""

from __future__ import annotations

from forecasts.base import FORECAST_COLUMNS, Z80, Forecaster
from forecasts.baselines import SameSlotAverage, SeasonalNaive
from forecasts.combination import Combination
from forecasts.double_seasonal import DoubleSeasonalHW
from forecasts.month_top_down import MonthTopDown
from forecasts.top_down import TopDownETS

__all__ = [
    "FORECAST_COLUMNS",
    "Z80",
    "Combination",
    "DoubleSeasonalHW",
    "Forecaster",
    "MonthTopDown",
    "SameSlotAverage",
    "SeasonalNaive",
    "TopDownETS",
    "candidates",
]


def candidates() -> list[Forecaster]:
    """Fresh, unfitted instances of every competing model, simplest first."""
    return [SeasonalNaive(), SameSlotAverage(8, statistic="median"),
            SameSlotAverage(4, statistic="mean"), TopDownETS(), DoubleSeasonalHW(),
            Combination([SameSlotAverage(8, statistic="median"), TopDownETS()]),
            MonthTopDown()]
