"""Create people, grant and withdraw roles, deactivate and reactivate. Flush, never commit.

Every service that acts on a person takes the ``actor`` and checks
:func:`lms.accounts.rules.refusals` before it changes anything; ``actor=None``
is the operator at the command line (``flask users create``, ``lms demo``).
"""

from __future__ import annotations

import functools
import secrets
import string
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.accounts import rules
from lms.accounts.models import AgencyMembership, RoleGrant, User
from lms.accounts.roles import ROLE_LABELS, Role
from lms.accounts.rules import Action
from lms.auth.passwords import PasswordHashing
from lms.core import audit, display, signals
from lms.core.errors import InvalidInput, NotFound, PermissionDenied
from lms.orgs.models import Agency, Coc

MEMBERSHIP_KINDS = ("employee", "volunteer", "intern")
MEMBERSHIP_KIND_LABELS = display.label_codes("membership_kind", {
    "employee": "Paid employee", "volunteer": "Supervised volunteer", "intern": "Intern"})
audit.label_detail_values("kind", MEMBERSHIP_KIND_LABELS)


def generate_password(length: int = 16) -> str:
    """Return a random password that passes the policy (letters and digits, no common or dictionary words:
    sixteen random letters now and then spell one, and that draw is thrown away)."""
    from lms.auth.passwords import check_password

    alphabet = string.ascii_letters + string.digits
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw) and not check_password(pw, username=""):
            return pw


def _clean_identity(email: str, full_name: str) -> tuple[str, str]:
    """Return the e-mail (lower case) and name trimmed, or raise naming what is wrong."""
    email, full_name = email.strip().lower(), full_name.strip()
    if not email or "@" not in email or len(email) > 254:
        raise InvalidInput("Enter a valid e-mail address.", field="email")
    if not full_name or len(full_name) > 200:
        raise InvalidInput("Enter the person's full name (at most 200 characters).", field="full_name")
    return email, full_name


#: The people list's filters: ``status`` → condition on the user.
PEOPLE_STATUSES = ("active", "inactive", "locked", "all")
_ROLE_VALUES = frozenset(r.value for r in Role)


class PersonRow(NamedTuple):
    """One line of the people list: the columns it shows, and the roles held now (once each, by value)."""

    id: int
    full_name: str
    email: str
    is_active: bool
    locked_at: datetime | None
    roles: tuple[Role, ...]
    #: The roles' labels, comma-separated, or "None".
    roles_label: str


def people_query(*, search: str = "", status: str = "active", role: str = "") -> sa.Select:
    """Return the people list's query: plain rows of the columns the list shows, each with the roles held
    now as one comma-separated string (a correlated subquery on ``ix_role_grants_user_id``, evaluated only
    for the page's rows), by name then id (an index walk for each status: ``ix_users_full_name_id``,
    ``ix_users_is_active_full_name_id``, ``ix_users_locked_full_name_id``).  Not ``User`` entities with
    their grants: building those cost more than the rest of the page.  :func:`person_rows` reads them."""
    q = _people_filtered(status if status in PEOPLE_STATUSES else "all", role if role in _ROLE_VALUES else "")
    if search:
        users = User.__table__.c
        like = f"%{search.lower()}%"
        q = q.where(sa.or_(sa.func.lower(users.full_name).like(like), users.email.like(like)))
    return q


@functools.lru_cache(maxsize=len(PEOPLE_STATUSES) * (len(Role) + 1))
def _people_filtered(status: str, role: str) -> sa.Select:
    """Build the query for a status and a role (or ""), once each: statements are immutable, and building
    this one (columns, subquery, conditions) cost as much as running it.  Table columns, not the models'
    attributes: the session then runs it as a plain statement, without the ORM's handling of each."""
    users, grants = User.__table__.c, RoleGrant.__table__.c
    held = (sa.select(sa.func.aggregate_strings(grants.role, ","))
            .where(grants.user_id == users.id, grants.revoked_at.is_(None)).scalar_subquery())
    q = (sa.select(users.id, users.full_name, users.email, users.is_active, users.locked_at, held.label("roles"))
         .order_by(users.full_name, users.id))
    if status == "active":
        q = q.where(users.is_active.is_(True))
    elif status == "inactive":
        q = q.where(users.is_active.is_(False))
    elif status == "locked":
        q = q.where(users.locked_at.is_not(None))
    if role:
        q = q.where(users.id.in_(sa.select(grants.user_id).where(grants.role == role, grants.revoked_at.is_(None))))
    return q


def person_rows(rows) -> list[PersonRow]:  # noqa: ANN001 - rows of people_query
    """Read :func:`people_query`'s rows (id, full name, e-mail, active, locked at, roles string)."""
    return [PersonRow(*row[:5], *_held_roles(row[5])) for row in rows]


@functools.lru_cache(maxsize=256)
def _held_roles(held: str | None) -> tuple[tuple[Role, ...], str]:
    """Return the roles in a roles string, once each, ordered by value (as ``sorted(user.roles)``: a role
    held at two agencies is two grants but one role), and their label; once per string (a page repeats a
    few, and this cost a fifth of reading the page)."""
    roles = tuple(Role(v) for v in sorted(set(held.split(",")))) if held else ()
    return roles, ", ".join(ROLE_LABELS[r] for r in roles) or "None"


def find_by_email(db_session: Session, email: str) -> User | None:
    return db_session.execute(sa.select(User).where(User.email == email.strip().lower())).scalar_one_or_none()


def create_user(db_session: Session, hashing: PasswordHashing, *, email: str, full_name: str, now: datetime,
                actor: User | None = None, password: str | None = None, ip: str | None = None) -> tuple[User, str]:
    """Create a person with a password someone else set (changed at first sign-in); return it too."""
    email, full_name = _clean_identity(email, full_name)
    if find_by_email(db_session, email) is not None:
        raise InvalidInput(f"Someone already has the e-mail address {email}.", field="email")
    password = password or generate_password()
    user = User(email=email, full_name=full_name, password_hash=hashing.hash(password), password_changed_at=now,
                must_change_password=True, is_active=True, created_at=now)
    db_session.add(user)
    db_session.flush()
    audit.record(db_session, action="accounts.user_created", now=now, actor=actor, target=user, ip=ip)
    signals.user_created.send(db_session, user=user, now=now)
    return user, password


def grant_role(db_session: Session, user: User, role: Role, *, now: datetime, actor: User | None = None,
               agency: Agency | None = None, coc: Coc | None = None, ip: str | None = None) -> RoleGrant:
    """Give ``user`` a role, scoped as the role needs; an identical live grant is returned as is."""
    check_may(actor, Action.GRANT, user, role=role)
    if role.scope == "agency" and agency is None:
        raise InvalidInput(f"{role.label} needs an agency.", field="agency_id")
    if role.scope == "coc" and coc is None:
        raise InvalidInput(f"{role.label} needs a CoC.", field="coc_id")
    if role.scope != "agency":
        agency = None if role is not Role.END_USER else agency
    if role.scope != "coc":
        coc = None
    for g in user.active_grants:
        if g.role == role.value and g.agency_id == (agency.id if agency else None) and g.coc_id == (coc.id if coc else None):
            return g
    grant = RoleGrant(user=user, role=role.value, agency_id=agency.id if agency else None,
                      coc_id=coc.id if coc else None, granted_at=now, granted_by_id=getattr(actor, "id", None))
    db_session.add(grant)
    db_session.flush()
    audit.record(db_session, action="accounts.role_granted", now=now, actor=actor, target=user, ip=ip,
                 role=role.value, agency_id=grant.agency_id, coc_id=grant.coc_id)
    return grant


def revoke_grant(db_session: Session, grant: RoleGrant, *, now: datetime, actor: User | None, ip: str | None = None) -> None:
    """Withdraw a role grant (kept, marked revoked)."""
    check_may(actor, Action.REVOKE, grant.user, role=Role(grant.role))
    if grant.revoked_at is not None:
        return
    grant.revoked_at = now
    grant.revoked_by_id = getattr(actor, "id", None)
    audit.record(db_session, action="accounts.role_revoked", now=now, actor=actor, target=grant.user, ip=ip,
                 role=grant.role, agency_id=grant.agency_id, coc_id=grant.coc_id)


def add_membership(db_session: Session, user: User, agency: Agency, *, kind: str = "employee", started_on: date,
                   now: datetime, actor: User | None = None, ip: str | None = None) -> AgencyMembership:
    """Record that ``user`` works at ``agency`` (paid employee, supervised volunteer or intern)."""
    check_may(actor, Action.ADD_MEMBERSHIP, user)
    if kind not in MEMBERSHIP_KINDS:
        raise InvalidInput("Membership must be employee, volunteer or intern.", field="kind")
    for m in user.active_memberships:
        if m.agency_id == agency.id:
            return m
    m = AgencyMembership(user=user, agency_id=agency.id, kind=kind, started_on=started_on)
    db_session.add(m)
    db_session.flush()
    audit.record(db_session, action="accounts.membership_added", now=now, actor=actor, target=user, ip=ip,
                 agency_id=agency.id, kind=kind)
    return m


def end_membership(db_session: Session, membership: AgencyMembership, *, ended_on: date, now: datetime,
                   actor: User | None = None, ip: str | None = None) -> None:
    """End an agency membership (kept, with the day it ended)."""
    check_may(actor, Action.END_MEMBERSHIP, membership.user)
    if membership.ended_on is None:
        membership.ended_on = ended_on
        audit.record(db_session, action="accounts.membership_ended", now=now, actor=actor, target=membership.user,
                     ip=ip, agency_id=membership.agency_id)


def deactivate(db_session: Session, user: User, *, now: datetime, actor: User | None, ip: str | None = None) -> None:
    """Deactivate a person: they can no longer sign in and every live session ends at once."""
    from lms.auth.services import end_all_sessions

    check_may(actor, Action.DEACTIVATE, user)
    if not user.is_active:
        return
    user.is_active = False
    ended = end_all_sessions(db_session, user, reason="deactivated", now=now)
    audit.record(db_session, action="accounts.user_deactivated", now=now, actor=actor, target=user, ip=ip,
                 ended_sessions=ended)
    signals.user_deactivated.send(db_session, user=user, now=now)


def reactivate(db_session: Session, user: User, *, now: datetime, actor: User | None, ip: str | None = None) -> None:
    """Let a deactivated person sign in again."""
    check_may(actor, Action.REACTIVATE, user)
    if user.is_active:
        return
    user.is_active = True
    audit.record(db_session, action="accounts.user_reactivated", now=now, actor=actor, target=user, ip=ip)


def live_session_count(db_session: Session, user: User) -> int:
    """Return how many sessions of ``user`` are live (deactivating ends them)."""
    from lms.auth.models import UserSession

    return db_session.execute(sa.select(sa.func.count()).select_from(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None))).scalar_one()


def get_user(db_session: Session, user_id: int) -> User:
    user = db_session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such person.")
    return user


def update_user(db_session: Session, user: User, *, email: str, full_name: str, now: datetime, actor: User | None,
                ip: str | None = None) -> bool:
    """Change a person's name or e-mail (e-mails stay unique); return False if nothing changed."""
    check_may(actor, Action.EDIT, user)
    email, full_name = _clean_identity(email, full_name)
    other = find_by_email(db_session, email)
    if other is not None and other.id != user.id:
        raise InvalidInput(f"Someone already has the e-mail address {email}.", field="email")
    changed = {k: v for k, v in (("email", email), ("full_name", full_name)) if getattr(user, k) != v}
    if not changed:
        return False
    old_email = user.email
    for k, v in changed.items():
        setattr(user, k, v)
    audit.record(db_session, action="accounts.user_changed", now=now, actor=actor, target=user, ip=ip,
                 fields=",".join(sorted(changed)), old_email=old_email if "email" in changed else None)
    return True


def unlock(db_session: Session, user: User, *, now: datetime, actor: User | None, ip: str | None = None) -> None:
    """Lift a lock set by repeated failed sign-ins."""
    from lms.auth.services import unlock as lift_lock

    check_may(actor, Action.UNLOCK, user)
    lift_lock(db_session, user, actor=actor, now=now, ip=ip)


def reset_totp(db_session: Session, user: User, *, now: datetime, actor: User | None, ip: str | None = None) -> None:
    """Remove a person's authenticator (lost device): they set one up again at their next sign-in."""
    from lms.auth.services import reset_totp as remove_authenticator

    check_may(actor, Action.RESET_TOTP, user)
    remove_authenticator(db_session, user, actor=actor, now=now, ip=ip)


def check_may(actor: User | None, action: Action, target: User, *, role: Role | None = None) -> None:
    """Refuse, with every reason, an action the actor may not take on ``target`` (None: the command line)."""
    if actor is None:
        return
    reasons = rules.refusals(action, actor_roles=actor.roles, target_roles=target.roles,
                             on_self=actor.id == target.id, role=role)
    if reasons:
        raise PermissionDenied(reasons[0], reasons=reasons,
                               field="role" if role is not None and rules.grant_refusals(actor.roles, role) else None)


def check_may_grant(actor: User, role: Role) -> None:
    """Refuse a role the actor may not grant (before anything is created for it)."""
    reasons = rules.grant_refusals(actor.roles, role)
    if reasons:
        raise PermissionDenied(reasons[0], reasons=reasons, field="role")
