"""HUD's rules as the sandbox enforces them: a refusal is a :class:`ValidationFailed`, a domain error.

The rules themselves are pure and live in :mod:`lms.hud.checks`; this module
only turns their problems into the error the sandbox's pages and CLI know how
to show, and offers the checks under the same names so ``rules.check_...`` and
``rules.raise_if`` read from one place.
"""

from __future__ import annotations

from lms.core.errors import InvalidInput
from lms.hud.checks import *  # noqa: F401,F403  (the sandbox's rules are HUD's, unchanged)
from lms.hud.checks import Problem, dedupe


class ValidationFailed(InvalidInput):
    """Raise when HUD's rules refuse the data; carries every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        problems = dedupe(problems)
        super().__init__(problems[0].message if len(problems) == 1 else
                         f"{len(problems)} answers need fixing before this can be saved.",
                         reasons=[p.message for p in problems])
        self.problems = problems


def raise_if(problems: list[Problem]) -> None:
    """Raise :class:`ValidationFailed` with every problem, if there is any."""
    if problems:
        raise ValidationFailed(problems)
