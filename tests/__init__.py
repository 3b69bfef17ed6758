"""The test suite: one folder per package (staffing, roster, check, simulation, forecasts,
inputs, outputs, cli) and the end-to-end pipeline and demo runs at the top."""
