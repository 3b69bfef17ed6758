"""Tests of the staffing math (Erlang C and A, patience)."""
