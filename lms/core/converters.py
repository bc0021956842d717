"""URL converters every blueprint shares.

``<id:name>`` is the converter for database ids and other whole-number URL parts:
the tables' primary keys are 32-bit integers, so an id outside 1..2**31-1 cannot
name a row.  Refusing it in the URL map makes such an address a plain 404 before
any view or query runs (PostgreSQL would otherwise fail the query with "integer
out of range").
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

#: The largest value of a 32-bit signed INTEGER primary key.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """Match a database id: ASCII digits without a leading zero, 1 to :data:`MAX_ID`."""

    # ``\\d`` would also match other scripts' digits; ten digits covers MAX_ID (the range check does the rest).
    regex = r"[1-9][0-9]{0,9}"

    def __init__(self, map: Map) -> None:  # noqa: A002 - werkzeug's parameter name
        super().__init__(map, min=1, max=MAX_ID)


def init_app(app) -> None:  # noqa: ANN001
    """Register the converters; call before any blueprint adds its routes."""
    app.url_map.converters["id"] = IdConverter
