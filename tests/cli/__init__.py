"""Tests of the `wfm` command line."""
