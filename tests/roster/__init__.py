"""Tests of the roster model: each rule alone, the start, the bound."""
