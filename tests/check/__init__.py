"""Tests of the roster checker."""
