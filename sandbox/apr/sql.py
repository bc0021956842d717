"""Date and text functions the APR queries need, written for both SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


class Ymd(FunctionElement):
    """A date as the integer YYYYMMDD (so whole years between two dates are a subtraction over 10000)."""

    type = sa.Integer()
    inherit_cache = True


@compiles(Ymd, "sqlite")
def _ymd_sqlite(element, compiler, **kw):  # noqa: ANN001
    return f"CAST(strftime('%Y%m%d', {compiler.process(list(element.clauses)[0], **kw)}) AS INTEGER)"


@compiles(Ymd)
def _ymd_default(element, compiler, **kw):  # noqa: ANN001
    return f"CAST(to_char({compiler.process(list(element.clauses)[0], **kw)}, 'YYYYMMDD') AS INTEGER)"


class Days(FunctionElement):
    """Whole days from ``earlier`` to ``later`` (either may be a timestamp: its date counts)."""

    type = sa.Integer()
    inherit_cache = True


@compiles(Days, "sqlite")
def _days_sqlite(element, compiler, **kw):  # noqa: ANN001
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday(date({later})) - julianday(date({earlier})) AS INTEGER)"


@compiles(Days)
def _days_default(element, compiler, **kw):  # noqa: ANN001
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"


class AddYears(FunctionElement):
    """A date ``years`` (an integer expression) later."""

    type = sa.Date()
    inherit_cache = True


@compiles(AddYears, "sqlite")
def _add_years_sqlite(element, compiler, **kw):  # noqa: ANN001
    day, years = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({day}, '+' || ({years}) || ' years')"


@compiles(AddYears)
def _add_years_default(element, compiler, **kw):  # noqa: ANN001
    day, years = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST({day} + make_interval(years => CAST({years} AS INTEGER)) AS DATE)"


class StripDigits(FunctionElement):
    """The text with leading and trailing digits removed (empty when it is all digits)."""

    type = sa.String()
    inherit_cache = True


@compiles(StripDigits, "sqlite")
def _strip_sqlite(element, compiler, **kw):  # noqa: ANN001
    return f"trim({compiler.process(list(element.clauses)[0], **kw)}, '0123456789')"


@compiles(StripDigits)
def _strip_default(element, compiler, **kw):  # noqa: ANN001
    return f"btrim({compiler.process(list(element.clauses)[0], **kw)}, '0123456789')"


def flag(cond: ColumnElement) -> ColumnElement:
    """1 when ``cond`` holds, else 0 (NULL counts as not holding)."""
    return sa.case((cond, 1), else_=0)


def is_in(col, values) -> ColumnElement:  # noqa: ANN001
    return sa.func.coalesce(col, -1).in_(list(values))


def blank(col) -> ColumnElement:  # noqa: ANN001
    return sa.or_(col.is_(None), col == "")


def between(col, bounds: tuple[int, int]) -> ColumnElement:  # noqa: ANN001
    return sa.and_(col.is_not(None), col >= bounds[0], col <= bounds[1])


class YmdDate(FunctionElement):
    """The date of an integer YYYYMMDD (the reverse of :class:`Ymd`)."""

    type = sa.Date()
    inherit_cache = True


@compiles(YmdDate, "sqlite")
def _ymd_date_sqlite(element, compiler, **kw):  # noqa: ANN001
    v = compiler.process(list(element.clauses)[0], **kw)
    return f"date(printf('%04d-%02d-%02d', ({v}) / 10000, (({v}) / 100) % 100, ({v}) % 100))"


@compiles(YmdDate)
def _ymd_date_default(element, compiler, **kw):  # noqa: ANN001
    return f"to_date(CAST({compiler.process(list(element.clauses)[0], **kw)} AS TEXT), 'YYYYMMDD')"
