"""Tests of the plan folder writers and the HTML report."""
