"""Staffing to a quantile of the forecast instead of its mean (Center!forecast_quantile).

Distributional assumption: each interval's calls follow a split normal distribution with its
mode at `calls`, whose lower half has the standard deviation (calls - calls_lo) / z(0.90) and
whose upper half (calls_hi - calls) / z(0.90), so that `calls_lo` and `calls_hi` are its 10%
and 90% points, as the 80% band says. Counts cannot be negative: the quantile is floored at 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from forecasts.base import Z80


def calls_at_quantile(table: pd.DataFrame, quantile: float | None) -> pd.Series:
    """The calls to staff to: the forecast's `quantile` (None: the mean forecast `calls`).

    Args:
        table: Rows with calls, calls_lo, calls_hi (the forecast table).
        quantile: Strictly between 0 and 1, e.g. 0.9 to staff for a busier week than expected
            nine times in ten; None keeps the forecast itself.

    Returns:
        One value per row, aligned with `table.index`, named "calls".

    Raises:
        ValueError: the quantile is not strictly between 0 and 1.
    """
    calls = table["calls"].astype("float64")
    if quantile is None:
        return calls.rename("calls")
    if not 0.0 < quantile < 1.0:
        raise ValueError(f"forecast quantile must be strictly between 0 and 1, got {quantile}")
    z = float(norm.ppf(quantile))
    half = table["calls_hi"] - calls if z >= 0 else calls - table["calls_lo"]
    value = calls + z * half.astype("float64").to_numpy() / Z80
    return pd.Series(np.maximum(value, 0.0), index=table.index, name="calls")
