"""Benchmarks and query-count budgets (``python3 manage.py bench``).

Timings are printed, never asserted in tests.  Query counts are budgets: the same
numbers are asserted by ``tests/functional/test_query_budgets.py`` so a page that
starts issuing a query per row (N+1) fails the suite at any data volume.
"""
