"""Tests of the forecasters and backtests."""
