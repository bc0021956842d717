"""Gather eligibility facts, issue and revoke live credentials, build the issuance queue. Flush, never commit.

The page, the command line and the future API all issue through :func:`issue`,
so an ineligible person is refused with the same reasons everywhere.  Adding projects to an active
person's access (which extends their training plan, not their credentials) is in
:mod:`lms.credentials.services.projects`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from lms.accounts.models import AgencyMembership, RoleGrant, User
from lms.accounts.services import generate_password
from lms.auth.services import password_problems
from lms.core import audit
from lms.core.errors import Conflict, InvalidInput
from lms.core.roles import Role
from lms.credentials import rules, signals
from lms.credentials.models import ISSUED, REVOKED, LiveCredential
from lms.training import rules as training_rules
from lms.training.models import Evidence, PlanRequirement, TrainingPlan, UpraVersion

audit.label_actions({
    "credentials.issued": "Live HMIS credentials issued",
    "credentials.issue_refused": "Live HMIS credentials refused (not eligible)",
    "credentials.revoked": "Live HMIS credentials revoked",
    "credentials.projects_added": "Projects added to a person's access",
})

#: Length of the temporary password (letters and digits only, so it is easy to type into the live HMIS).
TEMPORARY_PASSWORD_LENGTH = 16


class NotEligible(Conflict):
    """Issuance refused: ``reasons`` lists every unmet requirement."""

    def __init__(self, person: User, reasons: list[str]) -> None:
        super().__init__(f"Live credentials cannot be issued to {person.full_name} yet: " + " ".join(reasons),
                         reasons=reasons)


class AlreadyIssued(Conflict):
    """The person already holds issued credentials (a double submit issues once)."""

    def __init__(self, credential: LiveCredential) -> None:
        super().__init__(f"Live credentials were already issued to {credential.user.full_name} (HMIS user name "
                         f"{credential.username}). The temporary password was shown only once, to whoever "
                         "issued them; revoke and issue again if it was lost.")
        self.credential = credential


class UsernameRefused(InvalidInput):
    """The HMIS user name is not acceptable; ``reasons`` lists every problem."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons), reasons=reasons, field="username")


# --- facts ---------------------------------------------------------------------------------------

def _ask(signal: Any, db_session: Session, users: Sequence[User], *, now: datetime) -> dict[int, rules.Answer]:
    """Ask every receiver of ``signal``; combine their answers (a True from any of them wins)."""
    combined: dict[int, rules.Answer] = {}
    for _receiver, answers in signal.send(db_session, users=list(users), now=now):
        for user_id, answer in (answers or {}).items():
            if not isinstance(answer, rules.Answer):
                continue
            earlier = combined.get(user_id)
            if earlier is None or (answer.value and not earlier.value):
                combined[user_id] = answer
            elif answer.value and earlier.value:
                combined[user_id] = rules.Answer(True, earlier.detail or answer.detail,
                                                 tuple(dict.fromkeys(earlier.project_types + answer.project_types)))
    return combined


def gather_facts(db_session: Session, users: Sequence[User], *, now: datetime) -> dict[int, rules.EligibilityFacts]:
    """Return each person's eligibility facts, in a fixed number of queries whatever the number of people.

    ``users`` must have their grants loaded or loadable (the queue loads them with the people).
    """
    ids = [u.id for u in users]
    if not ids:
        return {}
    plans: dict[int, tuple[int, datetime | None, list[str]]] = {}
    rows = db_session.execute(
        sa.select(TrainingPlan.user_id, TrainingPlan.id, TrainingPlan.evidence_not_before, PlanRequirement.requirement)
        .outerjoin(PlanRequirement, PlanRequirement.plan_id == TrainingPlan.id)
        .where(TrainingPlan.user_id.in_(ids))
        .order_by(TrainingPlan.user_id, TrainingPlan.created_at, TrainingPlan.id, PlanRequirement.position))
    for user_id, plan_id, not_before, requirement in rows:
        current = plans.get(user_id)
        if current is None or current[0] != plan_id:  # a later plan replaces the earlier one
            current = plans[user_id] = (plan_id, not_before, [])
        if requirement is not None:
            current[2].append(requirement)
    evidence: dict[int, list[rules.EvidenceFact]] = {}
    # The current agreement's publication rides along with the evidence (it only matters when there is some),
    # which keeps an administrator's home page, where the count of people to issue shows, at few queries.
    upra_published = None
    current_upra = (sa.select(UpraVersion.published_at).order_by(UpraVersion.version.desc()).limit(1)
                    .scalar_subquery())
    for user_id, requirement, fiscal_year, achieved_at, published in db_session.execute(
            sa.select(Evidence.user_id, Evidence.requirement, Evidence.fiscal_year, Evidence.achieved_at,
                      current_upra).where(Evidence.user_id.in_(ids))):
        evidence.setdefault(user_id, []).append(rules.EvidenceFact(requirement, fiscal_year, achieved_at))
        upra_published = published
    not_before = {training_rules.UPRA: upra_published} if upra_published is not None else {}
    requests = _ask(signals.access_request_facts, db_session, users, now=now)
    suspensions = _ask(signals.suspension_facts, db_session, users, now=now)
    refusals = _ask(signals.refusal_facts, db_session, users, now=now)

    out = {}
    for user in users:
        _, plan_not_before, keys = plans.get(user.id, (None, None, []))
        out[user.id] = rules.EligibilityFacts(
            is_active=user.is_active,
            staff_roles=tuple(sorted((r.label for r in user.roles if r.is_staff))),
            totp_enrolled=user.totp_enrolled,
            approved_request=requests.get(user.id),
            suspended=suspensions.get(user.id),
            refused=refusals.get(user.id),
            plan_requirements=tuple(keys),
            evidence_not_before=plan_not_before,
            evidence=tuple(evidence.get(user.id, ())),
            not_before=not_before,
        )
    return out


def eligibility_of(db_session: Session, user: User, *, now: datetime,
                   zone: str = training_rules.DEFAULT_ZONE) -> rules.Eligibility:
    """Return whether ``user`` may be given live credentials now, with every unmet reason."""
    facts = gather_facts(db_session, [user], now=now)[user.id]
    return rules.live_credential_eligibility(facts, now=now, zone=zone)


# --- issuing and revoking --------------------------------------------------------------------------

def issued_credential(db_session: Session, user: User) -> LiveCredential | None:
    """Return ``user``'s issued (not revoked) credential, or None."""
    return db_session.execute(sa.select(LiveCredential).where(
        LiveCredential.user_id == user.id, LiveCredential.status == ISSUED)).scalar_one_or_none()


def credentials_of(db_session: Session, user: User) -> list[LiveCredential]:
    """Return every credential ``user`` was ever given, newest first."""
    return list(db_session.execute(sa.select(LiveCredential).where(LiveCredential.user_id == user.id)
                                   .order_by(LiveCredential.issued_at.desc(), LiveCredential.id.desc())).scalars())


def username_taken(db_session: Session, username: str, *, for_user: User) -> bool:
    """Tell whether ``username`` (any case) is issued now, or was ever given to someone else."""
    return db_session.execute(sa.select(LiveCredential.id).where(
        sa.func.lower(LiveCredential.username) == username.lower(),
        sa.or_(LiveCredential.status == ISSUED, LiveCredential.user_id != for_user.id)).limit(1)).first() is not None


def temporary_password(db_session: Session, user: User, username: str) -> str:
    """Return a random one-time password that passes the password policy for ``user`` and ``username``."""
    for _ in range(100):
        password = generate_password(TEMPORARY_PASSWORD_LENGTH)
        if not password_problems(db_session, password, email=user.email, full_name=f"{user.full_name} {username}"):
            return password
    raise RuntimeError("could not generate a temporary password that passes the password policy")


def issue(db_session: Session, user: User, *, username: str | None, now: datetime, actor: User | None = None,
          ip: str | None = None, zone: str = training_rules.DEFAULT_ZONE) -> tuple[LiveCredential, str]:
    """Issue live credentials to ``user``; return the credential and the temporary password (show it once).

    Refused (``NotEligible``) with every reason unless the person is eligible,
    (``UsernameRefused``) for a bad or taken user name, and (``AlreadyIssued``)
    when they already hold issued credentials: a double submit issues once.
    """
    # One issuance at a time per person: two submissions cannot both pass the checks below
    # (SQLite's BEGIN IMMEDIATE serialises writers; PostgreSQL needs the row lock).
    db_session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    existing = issued_credential(db_session, user)
    if existing is not None:
        raise AlreadyIssued(existing)
    eligibility = eligibility_of(db_session, user, now=now, zone=zone)
    if not eligibility.eligible:
        raise NotEligible(user, eligibility.reasons)
    username = (username or "").strip()
    problems = rules.username_problems(username)
    if not problems and username_taken(db_session, username, for_user=user):
        problems = rules.username_problems(username, taken=True)
    if problems:
        raise UsernameRefused(problems)
    password = temporary_password(db_session, user, username)
    credential = LiveCredential(user_id=user.id, username=username, status=ISSUED,
                                issued_by_id=getattr(actor, "id", None), issued_at=now)
    try:
        with db_session.begin_nested():
            db_session.add(credential)
    except IntegrityError:  # another transaction issued to this person, or this user name, first
        existing = issued_credential(db_session, user)
        if existing is not None:
            raise AlreadyIssued(existing) from None
        raise UsernameRefused(rules.username_problems(username, taken=True)) from None
    audit.record(db_session, action="credentials.issued", now=now, actor=actor, target=credential, ip=ip,
                 user_id=user.id, username=username)
    signals.credential_issued.send(db_session, credential=credential, now=now)
    return credential, password


def revoke(db_session: Session, credential: LiveCredential, *, reason: str, now: datetime,
           actor: User | None = None, ip: str | None = None) -> LiveCredential:
    """Revoke issued credentials, saying why (they stay on record)."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise InvalidInput("Say why the credentials are revoked (at most 500 characters).", field="reason")
    if credential.status != ISSUED:
        raise Conflict("These credentials were already revoked.")
    credential.status = REVOKED
    credential.revoked_at = now
    credential.revoked_by_id = getattr(actor, "id", None)
    credential.revoke_reason = reason
    db_session.flush()
    audit.record(db_session, action="credentials.revoked", now=now, actor=actor, target=credential, ip=ip,
                 user_id=credential.user_id, username=credential.username, reason=reason)
    signals.credential_revoked.send(db_session, credential=credential, now=now)
    return credential


# --- the issuance queue ------------------------------------------------------------------------------

@dataclass(frozen=True)
class QueueRow:
    person: User
    eligibility: rules.Eligibility

    @property
    def agencies(self) -> list[str]:
        return [m.agency.name for m in self.person.active_memberships]


@dataclass(frozen=True)
class Queue:
    """The people waiting for live credentials: eligible ones, and the others with their reasons."""

    eligible: list[QueueRow]
    waiting: list[QueueRow]
    #: How many are waiting before the search and reason filters.
    waiting_total: int


def _candidates_query() -> sa.Select:
    """People who hold the end-user role, are active, and hold no issued credentials."""
    end_users = sa.select(RoleGrant.user_id).where(RoleGrant.role == Role.END_USER.value,
                                                   RoleGrant.revoked_at.is_(None))
    issued = sa.select(LiveCredential.user_id).where(LiveCredential.status == ISSUED)
    return (sa.select(User).where(User.is_active.is_(True), User.id.in_(end_users), User.id.not_in(issued))
            .order_by(User.full_name, User.id))


def _evaluate(db_session: Session, people: list[User], *, now: datetime, zone: str) -> list[QueueRow]:
    facts = gather_facts(db_session, people, now=now)
    return [QueueRow(p, rules.live_credential_eligibility(facts[p.id], now=now, zone=zone)) for p in people]


def count_to_issue(db_session: Session, *, now: datetime, zone: str = training_rules.DEFAULT_ZONE) -> int:
    """Count the people eligible for live credentials who do not hold them yet."""
    people = list(db_session.execute(_candidates_query().options(joinedload(User.grants))).unique().scalars())
    return sum(1 for row in _evaluate(db_session, people, now=now, zone=zone) if row.eligibility.eligible)


def queue(db_session: Session, *, now: datetime, zone: str = training_rules.DEFAULT_ZONE, search: str = "",
          kind: str = "") -> Queue:
    """Build the issuance queue; ``search`` (name or e-mail) and ``kind`` (a reason kind) filter the waiting."""
    people = list(db_session.execute(_candidates_query().options(
        joinedload(User.grants), selectinload(User.memberships).selectinload(AgencyMembership.agency)))
        .unique().scalars())
    rows = _evaluate(db_session, people, now=now, zone=zone)
    eligible = [r for r in rows if r.eligibility.eligible]
    waiting = [r for r in rows if not r.eligibility.eligible]
    total = len(waiting)
    if search:
        needle = search.casefold()
        waiting = [r for r in waiting if needle in r.person.full_name.casefold() or needle in r.person.email]
    if kind in rules.REASON_KINDS:
        waiting = [r for r in waiting if kind in r.eligibility.kinds]
    return Queue(eligible=eligible, waiting=waiting, waiting_total=total)


def _cell(value: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def queue_csv(q: Queue) -> str:
    """Write the queue as CSV: one row per person, eligible first (never a password)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Name", "E-mail", "Agencies", "Status", "Reasons not yet eligible"])
    for row in [*q.eligible, *q.waiting]:
        writer.writerow([_cell(v) for v in (
            row.person.full_name, row.person.email, "; ".join(row.agencies),
            "Eligible" if row.eligibility.eligible else "Not yet eligible", " ".join(row.eligibility.reasons))])
    return out.getvalue()



# --- access revoked by the agency ---------------------------------------------------------------------

def revoke_on_access_revoked(db_session: Session, *, user: User, agency: Any, notice: Any, now: datetime,
                             **_: object) -> LiveCredential | None:
    """Receiver of ``lms.core.signals.access_revoked``: a person whose last agency revoked their access loses
    their live credentials on record (the administrators' queue still asks them to make the account inactive
    in the live HMIS).  A person who still works for another agency keeps them."""
    if user.active_memberships:
        return None
    credential = issued_credential(db_session, user)
    if credential is None:
        return None
    return revoke(db_session, credential, now=now,
                  reason=f"Access revoked by {agency.name} (revocation notice {notice.id}).")
