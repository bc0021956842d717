"""Date and text functions the APR queries need, written for both SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


class DialectFunction(FunctionElement):
    """A SQL function spelled one way on SQLite and another on PostgreSQL.

    A subclass gives its result ``type`` and two templates, ``sqlite`` and ``postgresql``, in which ``{0}``,
    ``{1}`` ... stand for its compiled arguments (each used as often as the template needs it).  It sets
    ``inherit_cache`` itself (SQLAlchemy reads it from the class's own namespace): its SQL depends only on
    its class and arguments, so compiled statements can be cached.
    """

    inherit_cache = True
    sqlite: ClassVar[str]
    postgresql: ClassVar[str]

    def render(self, template: str, compiler: Any, **kw: Any) -> str:
        return template.format(*(compiler.process(arg, **kw) for arg in self.clauses))


@compiles(DialectFunction, "sqlite")
def _sqlite(element: DialectFunction, compiler: Any, **kw: Any) -> str:
    return element.render(element.sqlite, compiler, **kw)


@compiles(DialectFunction)
def _postgresql(element: DialectFunction, compiler: Any, **kw: Any) -> str:
    return element.render(element.postgresql, compiler, **kw)


class Ymd(DialectFunction):
    """A date as the integer YYYYMMDD (so whole years between two dates are a subtraction over 10000)."""

    inherit_cache = True
    type = sa.Integer()
    sqlite = "CAST(strftime('%Y%m%d', {0}) AS INTEGER)"
    postgresql = "CAST(to_char({0}, 'YYYYMMDD') AS INTEGER)"


class YmdDate(DialectFunction):
    """The date of an integer YYYYMMDD (the reverse of :class:`Ymd`)."""

    inherit_cache = True
    type = sa.Date()
    sqlite = "date(printf('%04d-%02d-%02d', ({0}) / 10000, (({0}) / 100) % 100, ({0}) % 100))"
    postgresql = "to_date(CAST({0} AS TEXT), 'YYYYMMDD')"


class Days(DialectFunction):
    """Whole days from ``earlier`` to ``later`` (arguments: later, earlier; either may be a timestamp: its
    date counts)."""

    inherit_cache = True
    type = sa.Integer()
    sqlite = "CAST(julianday(date({0})) - julianday(date({1})) AS INTEGER)"
    postgresql = "(CAST({0} AS DATE) - CAST({1} AS DATE))"


class AddYears(DialectFunction):
    """A date ``years`` (an integer expression) later (arguments: day, years)."""

    inherit_cache = True
    type = sa.Date()
    sqlite = "date({0}, '+' || ({1}) || ' years')"
    postgresql = "CAST({0} + make_interval(years => CAST({1} AS INTEGER)) AS DATE)"


class StripDigits(DialectFunction):
    """The text with leading and trailing digits removed (empty when it is all digits)."""

    inherit_cache = True
    type = sa.String()
    sqlite = "trim({0}, '0123456789')"
    postgresql = "btrim({0}, '0123456789')"


def flag(cond: ColumnElement) -> ColumnElement:
    """1 when ``cond`` holds, else 0 (NULL counts as not holding)."""
    return sa.case((cond, 1), else_=0)


def is_in(col, values) -> ColumnElement:  # noqa: ANN001
    return sa.func.coalesce(col, -1).in_(list(values))


def blank(col) -> ColumnElement:  # noqa: ANN001
    return sa.or_(col.is_(None), col == "")


def between(col, bounds: tuple[int, int]) -> ColumnElement:  # noqa: ANN001
    return sa.and_(col.is_not(None), col >= bounds[0], col <= bounds[1])
