"""Blinker signals through which packages tell each other what happened.

The core declares them; features send or receive.  Receivers get the sender
(usually the ``db_session``) and keyword arguments named in each docstring.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable

from blinker import Namespace

_signals = Namespace()

#: Sent when a person's account is created. kwargs: ``user``, ``now``.
user_created = _signals.signal("user-created")
#: Sent when a person is deactivated. kwargs: ``user``, ``now``.
user_deactivated = _signals.signal("user-deactivated")
#: Sent after ``lms demo`` seeded (or re-seeded) the demo world, so features can mirror it.
#: kwargs: ``projects`` (list of dicts: id, name, project_type, agency_id, agency_name, coc_code), ``now``.
demo_seeded = _signals.signal("demo-seeded")
#: Asked before anyone but its owner reads a sandbox workspace. kwargs: ``user_id``, ``workspace_ref``.
#: A receiver returns True to allow (practice cases: the reviewers of that trainee's cases).
sandbox_workspace_access = _signals.signal("sandbox-workspace-access")
#: Sent when a revocation notice takes effect: the person can no longer act for the agency, and their
#: live credential must be made inactive. kwargs: ``user``, ``agency``, ``effective_on`` (a date),
#: ``notice`` (the RevocationNotice), ``now``. The credentials package connects here.
access_revoked = _signals.signal("access-revoked")
#: Sent when a person is suspended (a violation, pending review or sanctioned). kwargs: ``user``,
#: ``suspension``, ``now``.
user_suspended = _signals.signal("user-suspended")
#: Sent when a suspension is lifted. kwargs: ``user``, ``suspension``, ``now``.
suspension_lifted = _signals.signal("suspension-lifted")
#: Sent when a person's training plan starts or gains practice cases. kwargs: ``user``, ``plan``, ``now``.
#: The practice-case package assigns a case per practice group of the plan.
training_plan_changed = _signals.signal("training-plan-changed")
#: Asked after a right password, before a session opens. kwargs: ``user``, ``now``, ``ip``, ``flags``. A receiver
#: returns a sentence telling the person why they may not sign in now (a suspension), or None.  ``flags``: the
#: values of :data:`sign_in_flags`, read with the person; a receiver whose flag is False has nothing to ask.
sign_in_check = _signals.signal("sign-in-check")
#: What a receiver of :data:`sign_in_check` needs to know before it asks anything, read in the sign-in's own
#: statement about the person (every sign-in pays a round trip for each question asked apart): a name →
#: a function of the ``users.id`` column returning a boolean SQL expression (an EXISTS).  A package registers its
#: flag where it connects its receiver; the receiver finds the value in ``flags`` under that name.
sign_in_flags: dict[str, Callable[[Any], Any]] = {}


def sign_in_flag(flags: Mapping[str, bool] | None, name: str, ask: Callable[[], bool]) -> bool:
    """A receiver of :data:`sign_in_check`'s flag ``name``: the value read with the person, else ``ask()``."""
    value = (flags or {}).get(name)
    return ask() if value is None else value


def sign_in_refusal(sender: object, **kwargs: object) -> str | None:
    """Return the first reason a receiver of :data:`sign_in_check` gives to refuse a sign-in, or None."""
    for _receiver, reason in sign_in_check.send(sender, **kwargs):
        if reason:
            return str(reason)
    return None
