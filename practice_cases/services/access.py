"""Who may see and review whose practice case, and the queries that list only what a viewer may see.

- A trainee sees only their own assignments and submissions.
- Reviewers: helpdesk reviewers and HMIS lead administrators review everyone's cases; an HMIS
  manager reviews the cases of people with a current membership in an agency of a CoC they manage.
  Nobody ever reviews their own case.
- Only an HMIS lead administrator decides what happens to a blocked assignment.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from lms.accounts.models import AgencyMembership, RoleGrant, User
from lms.core.errors import NotFound, PermissionDenied
from lms.core.roles import Role
from lms.orgs.models import Agency
from practice_cases.models import Assignment, Segment, Submission

#: Roles that review every trainee's case.
REVIEW_ALL_ROLES = frozenset({Role.HELPDESK, Role.LEAD_ADMIN})


def is_reviewer(viewer: User) -> bool:
    """Tell whether ``viewer`` reviews practice cases at all (helpdesk, lead administrator, HMIS manager)."""
    return bool(viewer.roles & REVIEW_ALL_ROLES) or bool(viewer.coc_ids_for(Role.HMIS_MANAGER))


def may_review(viewer: User, trainee: User) -> bool:
    """Tell whether ``viewer`` may review (and read) ``trainee``'s practice cases; never their own."""
    if viewer.id == trainee.id or not viewer.is_active:
        return False
    if viewer.roles & REVIEW_ALL_ROLES:
        return True
    managed = viewer.coc_ids_for(Role.HMIS_MANAGER)
    return bool(managed) and any(m.agency.coc_id in managed for m in trainee.active_memberships)


def check_review(viewer: User, trainee: User) -> None:
    """Raise unless ``viewer`` may review ``trainee``'s case (own case: a clear refusal)."""
    if viewer.id == trainee.id:
        raise PermissionDenied("You cannot review your own practice case; another reviewer must.")
    if not may_review(viewer, trainee):
        raise PermissionDenied("You may not review this person's practice case.")


def _in_scope(viewer: User) -> sa.ColumnElement[bool]:
    """SQL condition on ``Assignment``: the assignments ``viewer`` may review."""
    not_own = Assignment.user_id != viewer.id
    if viewer.roles & REVIEW_ALL_ROLES and viewer.is_active:
        return not_own
    managed = viewer.coc_ids_for(Role.HMIS_MANAGER) if viewer.is_active else set()
    if not managed:
        return sa.false()
    members = (sa.select(AgencyMembership.user_id).join(Agency, Agency.id == AgencyMembership.agency_id)
               .where(AgencyMembership.ended_on.is_(None), Agency.coc_id.in_(managed)))
    return sa.and_(not_own, Assignment.user_id.in_(members))


def review_queue_query(viewer: User, *, pending_only: bool = True, coc_id: int | None = None,
                       agency_id: int | None = None, case_id: str | None = None,
                       reviewer_id: int | None = None) -> sa.Select:
    """Return the query of the submissions ``viewer`` may review, oldest first, with optional filters.

    ``pending_only``: only those not yet decided.  ``reviewer_id``: assigned to that reviewer
    (0 means not assigned to anyone).  Rows are :class:`Submission` with assignment, segment and the
    trainee loaded.
    """
    q = (sa.select(Submission).join(Assignment, Assignment.id == Submission.assignment_id)
         .where(_in_scope(viewer))
         .options(selectinload(Submission.assignment).selectinload(Assignment.user),
                  selectinload(Submission.segment), selectinload(Submission.reviewer))
         .order_by(Submission.submitted_at, Submission.id))
    if pending_only:
        q = q.where(Submission.outcome.is_(None))
    if case_id:
        q = q.where(Assignment.case_id == case_id)
    if reviewer_id is not None:
        q = q.where(Submission.reviewer_id.is_(None) if reviewer_id == 0 else Submission.reviewer_id == reviewer_id)
    if coc_id is not None or agency_id is not None:
        members = (sa.select(AgencyMembership.user_id).join(Agency, Agency.id == AgencyMembership.agency_id)
                   .where(AgencyMembership.ended_on.is_(None)))
        if coc_id is not None:
            members = members.where(Agency.coc_id == coc_id)
        if agency_id is not None:
            members = members.where(Agency.id == agency_id)
        q = q.where(Assignment.user_id.in_(members))
    return q


def review_queue(db_session: Session, viewer: User, **filters: object) -> list[Submission]:
    """Return :func:`review_queue_query`'s submissions (see it for the filters)."""
    return list(db_session.execute(review_queue_query(viewer, **filters)).scalars())  # type: ignore[arg-type]


def reviewers(db_session: Session) -> list[User]:
    """Return the active people with a reviewing role (for the queue's reviewer filter and assignment)."""
    roles = [r.value for r in (*REVIEW_ALL_ROLES, Role.HMIS_MANAGER)]
    q = (sa.select(User).join(RoleGrant, RoleGrant.user_id == User.id)
         .where(RoleGrant.role.in_(roles), RoleGrant.revoked_at.is_(None), User.is_active.is_(True))
         .distinct().order_by(User.full_name, User.id))
    return list(db_session.execute(q).scalars())


def helpdesk_addresses(db_session: Session) -> list[str]:
    """Return the e-mail addresses of the active helpdesk reviewers."""
    q = (sa.select(User.email).join(RoleGrant, RoleGrant.user_id == User.id)
         .where(RoleGrant.role == Role.HELPDESK.value, RoleGrant.revoked_at.is_(None), User.is_active.is_(True))
         .distinct().order_by(User.email))
    return list(db_session.execute(q).scalars())


def get_assignment(db_session: Session, viewer: User, assignment_id: int) -> Assignment:
    """Return an assignment ``viewer`` may see (their own, or one they may review); else NotFound."""
    a = db_session.execute(sa.select(Assignment).where(Assignment.id == assignment_id)
                           .options(selectinload(Assignment.segments), selectinload(Assignment.user))
                           ).scalar_one_or_none()
    if a is None or (a.user_id != viewer.id and not may_review(viewer, a.user)):
        raise NotFound("There is no such practice case.")
    return a


def get_submission(db_session: Session, viewer: User, submission_id: int) -> Submission:
    """Return a submission ``viewer`` may see (their own, or one they may review); else NotFound."""
    s = db_session.execute(sa.select(Submission).where(Submission.id == submission_id)
                           .options(selectinload(Submission.assignment).selectinload(Assignment.user),
                                    selectinload(Submission.segment), selectinload(Submission.comments))
                           ).scalar_one_or_none()
    if s is None or (s.assignment.user_id != viewer.id and not may_review(viewer, s.assignment.user)):
        raise NotFound("There is no such practice case submission.")
    return s


def segment_of(assignment: Assignment, name: str) -> Segment:
    """Return the segment ``name`` of ``assignment``; NotFound for a name that is not a segment."""
    for s in assignment.segments:
        if s.segment == name:
            return s
    raise NotFound("There is no such segment; the segments are entry, update and exit.")
