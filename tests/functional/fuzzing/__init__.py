"""The form fuzzer's machinery, shared by ``tests/functional/test_fuzz_forms*.py`` (one file per area).

- :mod:`.values`: good answers and bad values by kind of field, and the routes treated specially;
- :mod:`.forms`: reading a page's forms as a browser submits them;
- :mod:`.world`: the ``world`` fixture, real rows for every URL part and a browser for every access;
- :mod:`.targets`: the routes to fuzz, found by crawling, and the area each belongs to;
- :mod:`.runner`: sending the bad input and reporting 500s and refusals that wrote.
"""
