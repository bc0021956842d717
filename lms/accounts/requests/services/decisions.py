"""Submit, decide and withdraw user access requests; accept invitations. Flush, never commit.

What each role may *read* (the queue, counts, a request's page) is in
:mod:`lms.accounts.requests.services.queries`; this module holds the state changes.

Approval creates the person's account (or reopens a former one with the same
e-mail), adds the agency membership and the end-user role for that agency, starts
the new-user training plan and e-mails a one-time link to set a password.  Every
decision is audited and mailed; mail leaves through the outbox after the commit.
"""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts.models import AgencyMembership, RoleGrant, User
from lms.accounts.requests import rules
from lms.accounts.requests.models import AccessInvitation, AccessRequest, AccessRequestProject
from lms.accounts.requests.services.queries import _link, _today, active_projects, viewer_of
from lms.auth.passwords import PasswordHashing
from lms.core import audit, settings, signals
from lms.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from lms.core.mail import queue_mail
from lms.core.roles import Role
from lms.orgs.models import Agency, Project

INVITATION_DAYS = settings.declare(settings.SettingSpec(
    "accounts.invitation_days", "Invitation link lifetime (days)",
    "How long the link an approved person gets to set their first password works.", 7, minimum=1, maximum=60))


audit.label_actions({
    "access_request.submitted": "Access request submitted",
    "access_request.withdrawn": "Access request withdrawn",
    "access_request.denied": "Access request denied",
    "access_request.approved": "Access request approved",
    "access_request.invitation_sent": "Invitation to set a password sent",
    "access_request.invitation_accepted": "Invitation accepted (first password set)",
})


# --- submitting -----------------------------------------------------------------------------------

def _open_request_exists(db_session: Session, agency_id: int, email: str) -> bool:
    return db_session.execute(sa.select(AccessRequest.id).where(
        AccessRequest.agency_id == agency_id, AccessRequest.email == email,
        AccessRequest.status == rules.SUBMITTED).limit(1)).first() is not None


def _clean(email: str, full_name: str) -> tuple[str, str]:
    email, full_name = (email or "").strip().lower(), " ".join((full_name or "").split())
    if not email or "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        raise InvalidInput("Enter the person's e-mail address, like name@example.org.", field="email")
    if not full_name or len(full_name) > 200:
        raise InvalidInput("Enter the person's full name (at most 200 characters).", field="full_name")
    return email, full_name


def managers_of(db_session: Session, coc_id: int) -> list[User]:
    return list(db_session.execute(sa.select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.role == Role.HMIS_MANAGER.value, RoleGrant.coc_id == coc_id, RoleGrant.revoked_at.is_(None),
        User.is_active.is_(True)).order_by(User.id).distinct()).scalars())


def submit(db_session: Session, *, actor: User, agency: Agency, full_name: str, email: str, employment: str,
           project_ids: list[int], had_access_before: bool, justification: str, now: datetime, base_url: str,
           ip: str | None = None) -> AccessRequest:
    """Submit a request for a person to get HMIS access at ``agency``; the CoC's HMIS managers are mailed."""
    if not rules.may_submit_for(viewer_of(actor), agency.id):
        raise PermissionDenied(f"Only an authorized representative of {agency.name} may request access for its people.")
    email, full_name = _clean(email, full_name)
    justification = (justification or "").strip()
    reasons = rules.submit_refusals(
        agency_name=agency.name, agency_active=agency.is_active, apa_signed_on=agency.apa_signed_on,
        apa_renewal_due=agency.apa_renewal_due, today=_today(db_session, now), employment=employment,
        project_ids=project_ids, allowed_project_ids=[p.id for p in active_projects(db_session, agency)],
        justification=justification, open_request_exists=_open_request_exists(db_session, agency.id, email))
    if reasons:
        raise InvalidInput(reasons[0], reasons=reasons)
    req = AccessRequest(agency_id=agency.id, full_name=full_name, email=email, employment=employment,
                        had_access_before=had_access_before, justification=justification,
                        status=rules.SUBMITTED, submitted_at=now, submitted_by_id=actor.id)
    try:
        with db_session.begin_nested():
            db_session.add(req)
            db_session.flush()
    except IntegrityError:
        # Another submission for the same person won the race.
        raise Conflict(f"{agency.name} already has a request for this person waiting for a decision.") from None
    for pid in sorted(set(project_ids)):
        db_session.add(AccessRequestProject(request_id=req.id, project_id=pid))
    db_session.flush()
    audit.record(db_session, action="access_request.submitted", now=now, actor=actor, target=req, ip=ip,
                 agency_id=agency.id, email=email, employment=employment, projects=len(set(project_ids)),
                 had_access_before=had_access_before)
    link = _link(base_url, f"/access/requests/{req.id}")
    for manager in managers_of(db_session, agency.coc_id):
        queue_mail(db_session, to=manager.email, now=now,
                   subject=f"Access request from {agency.name} waiting for your decision",
                   body=(f"Hello {manager.full_name},\n\n{actor.full_name} of {agency.name} asks for HMIS access "
                         f"for {full_name} ({rules.EMPLOYMENT_LABELS[employment].lower()}).\n\n"
                         f"Approve or deny it here:\n\n{link}\n"))
    return req


def withdraw(db_session: Session, req: AccessRequest, *, actor: User, now: datetime, ip: str | None = None) -> None:
    """Withdraw a request that still waits (its submitter only)."""
    reasons = rules.withdraw_refusals(viewer_of(actor), agency_id=req.agency_id, submitted_by_id=req.submitted_by_id,
                                      status=req.status)
    if reasons:
        raise (Conflict if req.status != rules.SUBMITTED else PermissionDenied)(reasons[-1], reasons=reasons)
    _claim(db_session, req, rules.WITHDRAWN, actor=actor, now=now, reason=None)
    audit.record(db_session, action="access_request.withdrawn", now=now, actor=actor, target=req, ip=ip,
                 agency_id=req.agency_id)


# --- deciding -------------------------------------------------------------------------------------

def _claim(db_session: Session, req: AccessRequest, status: str, *, actor: User, now: datetime,
           reason: str | None) -> None:
    """Move the request out of ``submitted``; only one of two decisions at once can (the other gets Conflict)."""
    hit = db_session.execute(
        sa.update(AccessRequest).where(AccessRequest.id == req.id, AccessRequest.status == rules.SUBMITTED)
        .values(status=status, decided_at=now, decided_by_id=actor.id, decision_reason=reason or None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db_session.refresh(req)
    if not hit:
        raise Conflict(f"This request is no longer waiting for a decision (it is "
                       f"{rules.STATUS_LABELS[req.status].lower()}).")


def _check_decision(req: AccessRequest, actor: User, *, approve: bool, reason: str) -> None:
    reasons = rules.decision_refusals(viewer_of(actor), coc_id=req.agency.coc_id, status=req.status,
                                      approve=approve, reason=reason)
    if reasons:
        if not rules.may_decide(viewer_of(actor), coc_id=req.agency.coc_id):
            raise PermissionDenied(reasons[0], reasons=reasons)
        if req.status != rules.SUBMITTED:
            raise Conflict(reasons[0], reasons=reasons)
        raise InvalidInput(reasons[0], reasons=reasons, field="reason")


def _mail_submitter(db_session: Session, req: AccessRequest, *, now: datetime, base_url: str, text: str) -> None:
    rep = req.submitted_by
    queue_mail(db_session, to=rep.email, now=now,
               subject=f"Access request for {req.full_name}: {rules.STATUS_LABELS[req.status].lower()}",
               body=(f"Hello {rep.full_name},\n\n{text}\n\n"
                     f"The request: {_link(base_url, f'/access/requests/{req.id}')}\n"))


def deny(db_session: Session, req: AccessRequest, *, actor: User, reason: str, now: datetime, base_url: str,
         ip: str | None = None) -> None:
    """Deny a request, with the reason the representative is mailed."""
    reason = (reason or "").strip()
    _check_decision(req, actor, approve=False, reason=reason)
    _claim(db_session, req, rules.DENIED, actor=actor, now=now, reason=reason)
    audit.record(db_session, action="access_request.denied", now=now, actor=actor, target=req, ip=ip,
                 agency_id=req.agency_id, reason=reason)
    _mail_submitter(db_session, req, now=now, base_url=base_url,
                    text=f"{actor.full_name} denied the HMIS access request for {req.full_name}.\n\nReason: {reason}")


def _account_for(db_session: Session, req: AccessRequest, *, actor: User, now: datetime,
                 ip: str | None) -> tuple[User, bool]:
    """Return the person's account (created, reopened or as it is) and whether it is a former user's."""
    user = db_session.execute(sa.select(User).where(User.email == req.email)).scalar_one_or_none()
    if user is None:
        user = User(email=req.email, full_name=req.full_name, password_hash=None, must_change_password=False,
                    is_active=True, created_at=now)
        db_session.add(user)
        db_session.flush()
        audit.record(db_session, action="accounts.user_created", now=now, actor=actor, target=user, ip=ip,
                     access_request_id=req.id)
        signals.user_created.send(db_session, user=user, now=now)
        return user, False
    if user.is_active:
        return user, False
    # A former user: their old password no longer opens the account; the invitation sets a new one.
    user.is_active, user.password_hash, user.must_change_password, user.locked_at = True, None, False, None
    audit.record(db_session, action="accounts.user_reactivated", now=now, actor=actor, target=user, ip=ip,
                 access_request_id=req.id)
    return user, True


def _grant_access(db_session: Session, req: AccessRequest, user: User, *, actor: User, now: datetime,
                  ip: str | None) -> None:
    if not any(g.role == Role.END_USER.value and g.agency_id == req.agency_id for g in user.active_grants):
        db_session.add(RoleGrant(user=user, role=Role.END_USER.value, agency_id=req.agency_id, granted_at=now,
                                 granted_by_id=actor.id))
        audit.record(db_session, action="accounts.role_granted", now=now, actor=actor, target=user, ip=ip,
                     role=Role.END_USER.value, agency_id=req.agency_id, access_request_id=req.id)
    if not any(m.agency_id == req.agency_id for m in user.active_memberships):
        db_session.add(AgencyMembership(user=user, agency_id=req.agency_id, kind=req.employment,
                                        started_on=_today(db_session, now)))
        audit.record(db_session, action="accounts.membership_added", now=now, actor=actor, target=user, ip=ip,
                     agency_id=req.agency_id, kind=req.employment, access_request_id=req.id)
    db_session.flush()


def _invite(db_session: Session, req: AccessRequest, user: User, *, now: datetime, base_url: str) -> AccessInvitation:
    days = settings.get(db_session, INVITATION_DAYS.key)
    # Only the newest link works.
    db_session.execute(sa.update(AccessInvitation).where(AccessInvitation.user_id == user.id,
                                                         AccessInvitation.used_at.is_(None)).values(used_at=now))
    token = secrets.token_urlsafe(32)
    invitation = AccessInvitation(user_id=user.id, request_id=req.id, token_hash=_token_hash(token), created_at=now,
                                  expires_at=rules.invitation_expires_at(now, days))
    db_session.add(invitation)
    db_session.flush()
    queue_mail(db_session, to=user.email, now=now, subject="Your HMIS Training account: set your password",
               body=(f"Hello {user.full_name},\n\n{req.agency.name} asked for HMIS access for you and the HMIS Lead "
                     "approved it. Your first step is the new-user training on HMIS Training.\n\n"
                     f"Open this link within {days} day{'s' if days != 1 else ''} to choose your password "
                     f"(it works once):\n\n{_link(base_url, f'/access/invitation/{token}')}\n\n"
                     f"Then sign in with your e-mail address, {user.email}, and that password.\n"))
    audit.record(db_session, action="access_request.invitation_sent", now=now, target=user, request_id=req.id,
                 expires_days=days)
    return invitation


def approve(db_session: Session, req: AccessRequest, *, actor: User, now: datetime, base_url: str,
            reason: str = "", ip: str | None = None) -> User:
    """Approve a request: account, membership, end-user role, training plan, invitation; return the person."""
    from lms.training import services as training
    from lms.training.rules import PRACTICE_PREFIX, practice_groups_for

    reason = (reason or "").strip()
    _check_decision(req, actor, approve=True, reason=reason)
    existing = db_session.execute(sa.select(User).where(User.email == req.email)).scalar_one_or_none()
    if existing is not None and not existing.is_active and existing.is_staff:
        raise Conflict(f"{req.email} belongs to a former staff account, which an access request cannot reopen. "
                       "Ask an HMIS lead administrator.")
    _claim(db_session, req, rules.APPROVED, actor=actor, now=now, reason=reason)
    user, former = _account_for(db_session, req, actor=actor, now=now, ip=ip)
    req.user_id = user.id
    _grant_access(db_session, req, user, actor=actor, now=now, ip=ip)
    groups = practice_groups_for(p.project_type for p in req.projects)
    if existing is not None and existing.is_active:
        # More projects for a current user: the practice cases they had stay on the plan, their evidence counts
        # (the manual's *Modifications to HMIS Access*: new kinds of project need new practice).
        plan = training.current_plan(db_session, user)
        kept = [k[len(PRACTICE_PREFIX):] for k in (plan.requirement_keys if plan else []) if k.startswith(PRACTICE_PREFIX)]
        groups = list(dict.fromkeys([*kept, *groups]))
    repeat = rules.repeats_training(had_access_before=req.had_access_before, former_account=former)
    training.start_plan(db_session, user, practice_groups=groups, now=now, repeat=repeat, actor=actor, ip=ip)
    if user.password_hash is None:
        _invite(db_session, req, user, now=now, base_url=base_url)
    else:
        queue_mail(db_session, to=user.email, now=now, subject="Your HMIS access request was approved",
                   body=(f"Hello {user.full_name},\n\n{req.agency.name} asked for HMIS access for you and the HMIS "
                         "Lead approved it. Sign in to HMIS Training with your usual password to see your "
                         f"training checklist:\n\n{_link(base_url, '/training/')}\n"))
    audit.record(db_session, action="access_request.approved", now=now, actor=actor, target=req, ip=ip,
                 agency_id=req.agency_id, user_id=user.id, repeat_training=repeat, reopened=former)
    _mail_submitter(db_session, req, now=now, base_url=base_url,
                    text=(f"{actor.full_name} approved the HMIS access request for {req.full_name}. They have been "
                          "e-mailed how to sign in and start the new-user training."
                          + (f"\n\nNote from the HMIS manager: {reason}" if reason else "")))
    return user


# --- invitations ----------------------------------------------------------------------------------

def _token_hash(token: str) -> str:
    from lms.auth.rules import token_hash

    return token_hash(token)


def find_invitation(db_session: Session, token: str) -> AccessInvitation | None:
    """Return the invitation the link's token names (whatever its state), or None."""
    if not token or len(token) > 200 or not token.isascii():
        return None
    return db_session.execute(sa.select(AccessInvitation).where(AccessInvitation.token_hash == _token_hash(token))
                              ).scalar_one_or_none()


class InvitationClosed(Conflict):
    """The link was used, replaced or has expired; ``state`` says which."""

    status_code = 410

    def __init__(self, message: str, *, state: str) -> None:
        super().__init__(message)
        self.state = state


def open_invitation(db_session: Session, token: str, *, now: datetime) -> AccessInvitation:
    """Return the invitation if its link still works, else raise saying why in words."""
    invitation = find_invitation(db_session, token)
    if invitation is None:
        raise NotFound("This invitation link is not valid. Check that you opened the whole link from the e-mail.")
    state = rules.invitation_state(expires_at=invitation.expires_at, used_at=invitation.used_at, now=now)
    if state == rules.USED:
        raise InvitationClosed("This invitation link has already been used, or a newer one replaced it.", state=state)
    if state == rules.EXPIRED:
        raise InvitationClosed("This invitation link has expired.", state=state)
    return invitation


def accept_invitation(db_session: Session, hashing: PasswordHashing, token: str, password: str, *, now: datetime,
                      ip: str | None = None) -> User:
    """Set the person's first password through their invitation; the link then stops working."""
    from lms.auth.services import set_password

    invitation = open_invitation(db_session, token, now=now)
    user = db_session.get(User, invitation.user_id)
    if not user.is_active:
        raise InvitationClosed("This account is no longer active.", state=rules.USED)
    set_password(db_session, hashing, user, password, now=now, chosen_by_user=True)
    hit = db_session.execute(sa.update(AccessInvitation).where(AccessInvitation.id == invitation.id,
                                                               AccessInvitation.used_at.is_(None))
                             .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if not hit:
        raise InvitationClosed("This invitation link has already been used, or a newer one replaced it.",
                               state=rules.USED)
    audit.record(db_session, action="access_request.invitation_accepted", now=now, actor=user, target=user, ip=ip)
    return user


# --- facts for the credentials package --------------------------------------------------------------

def credential_facts(db_session: Session, *, users: list[User], now: datetime, **_: object) -> dict:
    """Receiver of ``lms.credentials.signals.access_request_facts``: for each person, whether an approved
    request brought them in, with the HUD project types of its projects (one query for the whole list).

    A person with no approved request gets ``Answer(False)`` with what became of their latest request.
    """
    from lms.credentials.rules import Answer

    ids = [u.id for u in users]
    if not ids:
        return {}
    latest: dict[int, str] = {}
    approved: dict[int, set[int]] = {}
    # One query: each request of these people with its projects' types (a request's rows come together).
    rows = db_session.execute(
        sa.select(AccessRequest.user_id, AccessRequest.status, Project.project_type)
        .outerjoin(AccessRequestProject, AccessRequestProject.request_id == AccessRequest.id)
        .outerjoin(Project, Project.id == AccessRequestProject.project_id)
        .where(AccessRequest.user_id.in_(ids)).order_by(AccessRequest.submitted_at, AccessRequest.id))
    for user_id, status, project_type in rows:
        latest[user_id] = status
        if status == rules.APPROVED:
            types = approved.setdefault(user_id, set())
            if project_type is not None:
                types.add(int(project_type))
    out = {}
    for user_id in ids:
        if user_id in approved:
            out[user_id] = Answer(True, project_types=tuple(sorted(approved[user_id])))
        elif user_id in latest:
            out[user_id] = Answer(False, detail=f"the latest request is {rules.STATUS_LABELS[latest[user_id]].lower()}")
        else:
            out[user_id] = Answer(False)
    return out
