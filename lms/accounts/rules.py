"""Who may grant which role, and who may act on whom: pure decisions, no Flask, no SQLAlchemy.

The one rule behind every people-administration action: nobody may act on a
person who holds a role they could not grant themselves.  Without it a system
administrator could change an HMIS lead administrator's e-mail, reset their
authenticator and take the account over through "forgot password".  Acting on
oneself skips that rule (one already holds one's own roles) but has rules of its
own: nobody deactivates themselves, resets their own authenticator here, or
withdraws their own administrator role.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from lms.core.roles import ADMIN_ROLES, Role


class Action(str, enum.Enum):
    """Everything the people administration does to a person."""

    EDIT = "edit"
    DEACTIVATE = "deactivate"
    REACTIVATE = "reactivate"
    UNLOCK = "unlock"
    RESET_TOTP = "reset-totp"
    GRANT = "grant"
    REVOKE = "revoke"
    ADD_MEMBERSHIP = "add-membership"
    END_MEMBERSHIP = "end-membership"

    @property
    def phrase(self) -> str:
        """Return the action as words that follow "you cannot", about a person ("them")."""
        return _PHRASES[self]


_PHRASES = {
    Action.EDIT: "change their name or e-mail address",
    Action.DEACTIVATE: "deactivate them",
    Action.REACTIVATE: "reactivate them",
    Action.UNLOCK: "unlock their account",
    Action.RESET_TOTP: "reset their authenticator",
    Action.GRANT: "grant them roles",
    Action.REVOKE: "withdraw their roles",
    Action.ADD_MEMBERSHIP: "add them to an agency",
    Action.END_MEMBERSHIP: "end their agency memberships",
}

#: Actions about a role: they also need that role to be one the actor may grant.
ROLE_ACTIONS = frozenset({Action.GRANT, Action.REVOKE})


def grantable_roles(actor_roles: Iterable[Role]) -> frozenset[Role]:
    """Return the roles a person holding ``actor_roles`` may grant (and withdraw).

    An HMIS lead administrator grants every role; a system administrator every role
    but the administrator roles; nobody else grants anything.
    """
    actor_roles = frozenset(actor_roles)
    if Role.LEAD_ADMIN in actor_roles:
        return frozenset(Role)
    if Role.SYSADMIN in actor_roles:
        return frozenset(Role) - ADMIN_ROLES
    return frozenset()


def _labels(roles: Iterable[Role]) -> str:
    names = [r.label for r in sorted(roles, key=lambda r: list(Role).index(r))]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def grant_refusals(actor_roles: Iterable[Role], role: Role) -> list[str]:
    """Return why the actor may not grant or withdraw ``role`` (empty: they may)."""
    if role in grantable_roles(actor_roles):
        return []
    if role in ADMIN_ROLES:
        return [f"Only an HMIS lead administrator may grant or withdraw the {role.label} role."]
    return [f"Only a system administrator or an HMIS lead administrator may grant the {role.label} role."]


def manage_refusals(actor_roles: Iterable[Role], target_roles: Iterable[Role], *, on_self: bool,
                    action: Action | None = None) -> list[str]:
    """Return why the actor may not act on a person holding ``target_roles`` at all (empty: they may).

    ``action`` only words the reason; None speaks of every change at once.
    """
    actor_roles, target_roles = frozenset(actor_roles), frozenset(target_roles)
    if not actor_roles & ADMIN_ROLES:
        return ["Only a system administrator or an HMIS lead administrator may manage people."]
    if on_self:
        return []
    beyond = target_roles - grantable_roles(actor_roles)
    if beyond:
        what = action.phrase if action is not None else "change anything about them"
        held = f"the {_labels(beyond)} role{'s' if len(beyond) > 1 else ''}"
        return [f"This person holds {held}, which you cannot grant, so you cannot {what}. "
                "Ask an HMIS lead administrator."]
    return []


def _self_refusals(action: Action, role: Role | None) -> list[str]:
    if action is Action.DEACTIVATE:
        return ["You cannot deactivate your own account."]
    if action is Action.RESET_TOTP:
        return ["Reset your own authenticator with a recovery code, or ask another administrator."]
    if action is Action.REVOKE and role in ADMIN_ROLES:
        return ["You cannot withdraw your own administrator role."]
    return []


def refusals(action: Action, *, actor_roles: Iterable[Role], target_roles: Iterable[Role], on_self: bool,
             role: Role | None = None) -> list[str]:
    """Return every reason the actor may not do ``action`` to the target (empty: allowed).

    ``role`` is the role granted or withdrawn (``Action.GRANT`` and ``Action.REVOKE`` need it).
    """
    actor_roles, target_roles = frozenset(actor_roles), frozenset(target_roles)
    if action in ROLE_ACTIONS and role is None:
        raise ValueError(f"{action.value} needs the role it is about")
    reasons = manage_refusals(actor_roles, target_roles, on_self=on_self, action=action)
    if on_self:
        reasons += _self_refusals(action, role)
    if role is not None and action in ROLE_ACTIONS:
        reasons += grant_refusals(actor_roles, role)
    return reasons


def allowed_actions(actor_roles: Iterable[Role], target_roles: Iterable[Role], *, on_self: bool) -> frozenset[Action]:
    """Return the actions the actor may take on the target (role actions: for at least one role)."""
    allowed = set()
    for action in Action:
        roles = list(Role) if action in ROLE_ACTIONS else [None]
        if any(not refusals(action, actor_roles=actor_roles, target_roles=target_roles, on_self=on_self, role=r)
               for r in roles):
            allowed.add(action)
    return frozenset(allowed)
