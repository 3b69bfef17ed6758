"""A forecast combination: the mean of several models' forecasts.

Averaging a robust same-slot median with a model that follows the level (the top-down ETS)
cancels part of each one's error (Bates & Granger 1969); it competes in the backtest like any
other model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Self

import numpy as np
import pandas as pd

from forecasts.base import Forecaster, band_frame


class Combination:
    """The equal-weight mean of its members' calls; the band half-widths are averaged too."""

    complexity: ClassVar[int] = 4

    def __init__(self, members: Sequence[Forecaster]) -> None:
        if not members:
            raise ValueError("a combination needs at least one member")
        self.members = list(members)

    @property
    def name(self) -> str:
        return "mix_" + "+".join(m.name for m in self.members)

    def fit(self, y: pd.Series) -> Self:
        """Fit every member on the same series."""
        for member in self.members:
            member.fit(y)
        return self

    def fresh(self) -> Combination:
        return Combination([m.fresh() for m in self.members])

    def predict(self, index: pd.DatetimeIndex) -> pd.DataFrame:
        """The members' mean, with the mean of their band half-widths."""
        return combine([m.predict(index) for m in self.members])


def combine(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Average forecasts (calls, calls_lo, calls_hi) with the same index."""
    calls = np.mean([f["calls"].to_numpy() for f in frames], axis=0)
    lo = np.mean([(f["calls"] - f["calls_lo"]).to_numpy() for f in frames], axis=0)
    hi = np.mean([(f["calls_hi"] - f["calls"]).to_numpy() for f in frames], axis=0)
    return band_frame(pd.DatetimeIndex(frames[0].index), calls, lo, hi)
