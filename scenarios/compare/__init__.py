"""Judging results: the comparison table and efficient frontier across
scenarios, and the ``expect:`` checks (with JUnit XML for CI)."""
