"""Tests of the discrete-event simulation."""
