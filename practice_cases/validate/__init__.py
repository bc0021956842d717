"""Pure checks of a practice case file: every problem at once, each with its file and path.

The file's schema is documented in :mod:`practice_cases.validate.case`, which checks one file's shape and
records; :mod:`practice_cases.validate.households` checks what must agree across the three segments;
:mod:`practice_cases.validate.values` reads the values both use.  The names other modules use are
re-exported here, so ``from practice_cases import validate`` keeps working.
"""

from practice_cases.validate.case import check_case
from practice_cases.validate.values import IDENTITY, SEGMENTS, STAGE_OF, Problem, identity, parse_date, typed

__all__ = ["IDENTITY", "SEGMENTS", "STAGE_OF", "Problem", "check_case", "identity", "parse_date", "typed"]
