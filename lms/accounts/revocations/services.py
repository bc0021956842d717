"""Revocation notices: file, apply on the effective date, queue the credential, record it done.

Services flush, never commit.  Dates are the HMIS Lead's local calendar days.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from lms.accounts.models import AgencyMembership, RoleGrant, User
from lms.accounts.revocations import rules
from lms.accounts.revocations.models import RevocationNotice
from lms.core import audit, display, settings, signals
from lms.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from lms.core.mail import queue_mail
from lms.core.roles import ADMIN_ROLES, Role

settings.declare(settings.SettingSpec(
    "revocations.credential_business_days", "Business days to make a credential inactive",
    "After a revocation takes effect, the administrators make the person's live HMIS credential "
    "inactive within this many business days.", 1, minimum=0, maximum=10))

audit.label_actions({
    "revocations.notice_filed": "Revocation notice filed",
    "revocations.notice_filed_late": "Revocation notice filed late (after 3 business days)",
    "revocations.applied": "Revocation took effect",
    "revocations.credential_inactive": "Live credential recorded as inactive",
    "revocations.overdue_mailed": "Overdue credential revocations mailed to administrators",
})


def today_for(db_session: Session, now: datetime) -> date:
    """Return the HMIS Lead's calendar day at ``now`` (jobs have no request to read it from)."""
    return display.to_zone(now, display.zone_named(str(settings.get(db_session, "core.time_zone")))).date()


def rep_agency_ids(user: Any) -> set[int]:
    return user.agency_ids_for(Role.AGENCY_REP)


def revocable_memberships(db_session: Session, rep: User) -> list[AgencyMembership]:
    """Return the live memberships at the representative's agencies (the people they may revoke)."""
    agencies = rep_agency_ids(rep)
    if not agencies:
        return []
    return list(db_session.execute(
        sa.select(AgencyMembership).join(User, User.id == AgencyMembership.user_id)
        .where(AgencyMembership.agency_id.in_(agencies), AgencyMembership.ended_on.is_(None))
        .options(joinedload(AgencyMembership.user), joinedload(AgencyMembership.agency))
        .order_by(User.full_name, User.id)
    ).scalars())


def _open_notice(db_session: Session, user_id: int, agency_id: int) -> RevocationNotice | None:
    return db_session.execute(
        sa.select(RevocationNotice).where(RevocationNotice.user_id == user_id,
                                          RevocationNotice.agency_id == agency_id,
                                          RevocationNotice.applied_at.is_(None))
    ).scalars().first()


def file_notice(db_session: Session, *, rep: User, membership_id: int, kind: str, effective_on: date | None,
                reason: str, now: datetime, ip: str | None = None) -> RevocationNotice:
    """File a representative's notice; apply it at once when its date has come.

    Refuses (4xx, nothing changed) another agency's person, a forged id, a date far out of
    range, a person already revoked and a second notice still waiting for its date.
    """
    membership = db_session.get(AgencyMembership, membership_id)
    if membership is None or membership.agency_id not in rep_agency_ids(rep):
        raise NotFound("That person is not one of your agency's people.", field="membership_id")
    try:
        kind = rules.Kind(kind).value
    except ValueError:
        raise InvalidInput("Choose why the person no longer needs access.", field="kind") from None
    today = today_for(db_session, now)
    waiting = _open_notice(db_session, membership.user_id, membership.agency_id) is not None
    check = rules.notice_refusals(effective=effective_on, today=today, member_now=membership.ended_on is None,
                                  open_notice=waiting, reason_text=reason or "")
    if not check.allowed:
        # The person's state forbids it (409) or the form was filled wrongly (400).
        error = Conflict if membership.ended_on is not None or waiting else InvalidInput
        raise error(check.reasons[0], reasons=check.reasons)
    late = rules.is_late(effective_on, today)
    notice = RevocationNotice(
        user_id=membership.user_id, agency_id=membership.agency_id, kind=kind, reason=reason.strip()[:2000],
        effective_on=effective_on, notified_on=today, is_late=late, submitted_at=now, submitted_by_id=rep.id,
        credential_due_on=rules.credential_due(effective_on, today, settings.get(
            db_session, "revocations.credential_business_days")))
    try:
        with db_session.begin_nested():
            db_session.add(notice)
            db_session.flush()
    except IntegrityError:
        raise Conflict("This notice has already been filed.") from None
    audit.record(db_session, action="revocations.notice_filed_late" if late else "revocations.notice_filed",
                 now=now, actor=rep, target=membership.user, ip=ip, agency_id=membership.agency_id,
                 notice=notice.id, effective_on=effective_on.isoformat(), late=late)
    if effective_on <= today:
        apply_notice(db_session, notice, now=now)
    return notice


def apply_notice(db_session: Session, notice: RevocationNotice, *, now: datetime) -> bool:
    """End the person's membership and agency roles at the notice's agency and every session; once.

    A person with access through another agency keeps it.  Returns False when already applied.
    """
    from lms.auth.services import end_all_sessions

    claimed = db_session.execute(
        sa.update(RevocationNotice).where(RevocationNotice.id == notice.id, RevocationNotice.applied_at.is_(None))
        .values(applied_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        return False
    db_session.refresh(notice)
    user = notice.user
    for m in user.active_memberships:
        if m.agency_id == notice.agency_id:
            m.ended_on = notice.effective_on
    roles = []
    for g in db_session.execute(sa.select(RoleGrant).where(
            RoleGrant.user_id == user.id, RoleGrant.agency_id == notice.agency_id,
            RoleGrant.revoked_at.is_(None))).scalars():
        g.revoked_at = now
        roles.append(g.role)
    ended = end_all_sessions(db_session, user, reason="access_revoked", now=now)
    db_session.flush()
    audit.record(db_session, action="revocations.applied", now=now, target=user, agency_id=notice.agency_id,
                 notice=notice.id, ended_sessions=ended, role=",".join(roles) or None)
    signals.access_revoked.send(db_session, user=user, agency=notice.agency, effective_on=notice.effective_on,
                                notice=notice, now=now)
    return True


def apply_due(db_session: Session, *, now: datetime) -> int:
    """Apply every notice whose effective date has come (the scheduled job; safe to repeat)."""
    today = today_for(db_session, now)
    due = db_session.execute(
        sa.select(RevocationNotice).where(RevocationNotice.applied_at.is_(None),
                                          RevocationNotice.effective_on <= today).order_by(RevocationNotice.id)
    ).scalars().all()
    return sum(apply_notice(db_session, n, now=now) for n in due)


def record_credential_inactive(db_session: Session, notice: RevocationNotice, *, actor: User, now: datetime,
                               ip: str | None = None) -> None:
    """Record that an administrator made the person's live credential inactive (who, when)."""
    if not actor.roles & ADMIN_ROLES:
        raise PermissionDenied("Only a system administrator or an HMIS lead administrator may record this.")
    if notice.applied_at is None:
        raise Conflict("This revocation has not taken effect yet: wait for its date.")
    done = db_session.execute(
        sa.update(RevocationNotice).where(RevocationNotice.id == notice.id, RevocationNotice.deactivated_at.is_(None))
        .values(deactivated_at=now, deactivated_by_id=actor.id).execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        raise Conflict("This credential was already recorded as inactive.")
    db_session.refresh(notice)
    audit.record(db_session, action="revocations.credential_inactive", now=now, actor=actor, target=notice.user,
                 ip=ip, agency_id=notice.agency_id, notice=notice.id)


def get_notice(db_session: Session, notice_id: int, viewer: User) -> RevocationNotice:
    """Load a notice the viewer may read (their agency's, or any for administrators), else NotFound."""
    notice = db_session.get(RevocationNotice, notice_id)
    if notice is None or not (viewer.roles & ADMIN_ROLES or notice.agency_id in rep_agency_ids(viewer)):
        raise NotFound("That revocation notice does not exist, or it is not your agency's.")
    return notice


def notices_for_rep(rep: User) -> sa.Select:
    return (sa.select(RevocationNotice).where(RevocationNotice.agency_id.in_(rep_agency_ids(rep) or {-1}))
            .options(joinedload(RevocationNotice.user), joinedload(RevocationNotice.agency))
            .order_by(RevocationNotice.submitted_at.desc(), RevocationNotice.id.desc()))


def credential_queue(*, show: str = "open") -> sa.Select:
    """The administrators' queue: open (applied, credential still live), scheduled, done, or late notices."""
    q = sa.select(RevocationNotice).options(joinedload(RevocationNotice.user), joinedload(RevocationNotice.agency),
                                            joinedload(RevocationNotice.deactivated_by))
    if show == "scheduled":
        return q.where(RevocationNotice.applied_at.is_(None)).order_by(RevocationNotice.effective_on,
                                                                       RevocationNotice.id)
    if show == "done":
        return q.where(RevocationNotice.deactivated_at.is_not(None)).order_by(
            RevocationNotice.deactivated_at.desc(), RevocationNotice.id.desc())
    if show == "late":
        return q.where(RevocationNotice.is_late.is_(True)).order_by(RevocationNotice.notified_on.desc(),
                                                                    RevocationNotice.id.desc())
    return q.where(RevocationNotice.applied_at.is_not(None), RevocationNotice.deactivated_at.is_(None)).order_by(
        RevocationNotice.credential_due_on, RevocationNotice.id)


def queue_counts(db_session: Session, today: date) -> dict[str, int]:
    """Count the credentials to make inactive, and how many of them are overdue."""
    overdue = sa.func.coalesce(sa.func.sum(sa.case((RevocationNotice.credential_due_on < today, 1), else_=0)), 0)
    row = db_session.execute(sa.select(sa.func.count(), overdue).select_from(RevocationNotice).where(
        RevocationNotice.applied_at.is_not(None), RevocationNotice.deactivated_at.is_(None))).one()
    return {"open": row[0], "overdue": int(row[1])}


def administrators(db_session: Session) -> list[User]:
    return list(db_session.execute(
        sa.select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role.in_([r.value for r in ADMIN_ROLES]), RoleGrant.revoked_at.is_(None),
               User.is_active.is_(True)).distinct().order_by(User.id)
    ).scalars())


def mail_overdue(db_session: Session, *, now: datetime, base_url: str) -> int:
    """Mail every administrator the list of overdue credentials (the daily job); return how many are overdue."""
    today = today_for(db_session, now)
    overdue = db_session.execute(
        credential_queue().where(RevocationNotice.credential_due_on < today)).unique().scalars().all()
    if not overdue:
        return 0
    lines = [f"- {n.user.full_name} ({n.agency.name}): due {display.format_date(n.credential_due_on)}"
             for n in overdue]
    body = ("These live HMIS credentials should already be inactive after their agency revoked access:\n\n"
            + "\n".join(lines)
            + f"\n\nMake each inactive in the HMIS, then record it on {base_url.rstrip('/')}/admin/revocations\n")
    for admin in administrators(db_session):
        queue_mail(db_session, to=admin.email, subject=f"{len(overdue)} HMIS credential(s) overdue to make inactive",
                   body=body, now=now)
    audit.record(db_session, action="revocations.overdue_mailed", now=now, rows=len(overdue))
    return len(overdue)
