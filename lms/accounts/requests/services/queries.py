"""What each role may read of user access requests: the queue, counts, a request's page. No state changes.

An agency representative reads their agencies' requests; an HMIS manager the submitted ones of their
CoCs; the lead administrator all.  Split from :mod:`lms.accounts.requests.services.decisions`, which
holds the state changes and reuses :func:`viewer_of`, ``_today`` and ``_link`` from here.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from lms.accounts.models import User
from lms.accounts.requests import rules
from lms.accounts.requests.models import AccessRequest
from lms.core import display, settings
from lms.core.errors import NotFound
from lms.core.roles import Role
from lms.orgs.models import Agency, Project


def viewer_of(user: User) -> rules.Viewer:
    return rules.Viewer(id=user.id, is_lead_admin=user.has_role(Role.LEAD_ADMIN),
                        rep_agency_ids=frozenset(user.agency_ids_for(Role.AGENCY_REP)),
                        managed_coc_ids=frozenset(user.coc_ids_for(Role.HMIS_MANAGER)))


def _today(db_session: Session, now: datetime):
    return display.to_zone(now, display.zone_named(str(settings.get(db_session, "core.time_zone")))).date()


def _link(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}{path}"


# --- reading ----------------------------------------------------------------------------------------

def active_projects(db_session: Session, agency: Agency) -> list[Project]:
    return list(db_session.execute(sa.select(Project).where(Project.agency_id == agency.id,
                                                            Project.is_active.is_(True))
                                   .order_by(Project.name, Project.id)).scalars())


def rep_agencies(db_session: Session, user: User) -> list[Agency]:
    ids = user.agency_ids_for(Role.AGENCY_REP)
    if not ids:
        return []
    return list(db_session.execute(sa.select(Agency).where(Agency.id.in_(ids)).order_by(Agency.name)).scalars())


def apa_refusals(db_session: Session, agency: Agency, *, now: datetime) -> list[str]:
    return rules.apa_refusals(agency_name=agency.name, signed_on=agency.apa_signed_on,
                              renewal_due=agency.apa_renewal_due, today=_today(db_session, now))


def _with_details(q: sa.Select) -> sa.Select:
    return q.options(selectinload(AccessRequest.agency).selectinload(Agency.coc),
                     selectinload(AccessRequest.projects), selectinload(AccessRequest.submitted_by),
                     selectinload(AccessRequest.decided_by))


def agency_requests(user: User) -> sa.Select:
    """Return the requests of the agencies ``user`` represents, newest first."""
    ids = user.agency_ids_for(Role.AGENCY_REP) or {-1}
    return _with_details(sa.select(AccessRequest).where(AccessRequest.agency_id.in_(ids))
                         .order_by(AccessRequest.submitted_at.desc(), AccessRequest.id.desc()))


def status_counts(db_session: Session, user: User) -> dict[str, int]:
    """Return how many of the represented agencies' requests are in each state (every state present)."""
    ids = user.agency_ids_for(Role.AGENCY_REP) or {-1}
    rows = db_session.execute(sa.select(AccessRequest.status, sa.func.count()).where(
        AccessRequest.agency_id.in_(ids)).group_by(AccessRequest.status)).all()
    counts = dict.fromkeys(rules.STATUSES, 0)
    counts.update({status: n for status, n in rows})
    return counts


def _decidable(user: User, q: sa.Select) -> sa.Select:
    if user.has_role(Role.LEAD_ADMIN):
        return q
    cocs = user.coc_ids_for(Role.HMIS_MANAGER) or {-1}
    return q.join(Agency, Agency.id == AccessRequest.agency_id).where(Agency.coc_id.in_(cocs))


def queue(user: User) -> sa.Select:
    """Return the requests waiting for ``user``'s decision, oldest first."""
    return _with_details(_decidable(user, sa.select(AccessRequest).where(AccessRequest.status == rules.SUBMITTED))
                         .order_by(AccessRequest.submitted_at, AccessRequest.id))


def queue_count(db_session: Session, user: User) -> int:
    q = _decidable(user, sa.select(sa.func.count(AccessRequest.id)).where(AccessRequest.status == rules.SUBMITTED))
    return db_session.execute(q).scalar_one()


def _brief() -> sa.Select:
    """Select what a home-page line shows (one query, whatever the number of requests)."""
    return (sa.select(AccessRequest.id, AccessRequest.full_name, AccessRequest.status, AccessRequest.submitted_at,
                      Agency.name.label("agency_name"))
            .join(Agency, Agency.id == AccessRequest.agency_id))


def recent_for_rep(db_session: Session, user: User, *, limit: int = 5) -> list[sa.Row]:
    """Return the newest requests of the agencies ``user`` represents, as brief rows."""
    ids = user.agency_ids_for(Role.AGENCY_REP) or {-1}
    return list(db_session.execute(_brief().where(AccessRequest.agency_id.in_(ids))
                                   .order_by(AccessRequest.submitted_at.desc(), AccessRequest.id.desc())
                                   .limit(limit)).all())


def oldest_waiting(db_session: Session, user: User, *, limit: int = 5) -> list[sa.Row]:
    """Return the requests waiting longest for ``user``'s decision, as brief rows."""
    q = _brief().where(AccessRequest.status == rules.SUBMITTED)
    if not user.has_role(Role.LEAD_ADMIN):
        q = q.where(Agency.coc_id.in_(user.coc_ids_for(Role.HMIS_MANAGER) or {-1}))
    return list(db_session.execute(q.order_by(AccessRequest.submitted_at, AccessRequest.id).limit(limit)).all())


def get_visible(db_session: Session, user: User, request_id: int) -> AccessRequest:
    """Return the request if ``user`` may see it; to anyone else it does not exist."""
    req = db_session.execute(_with_details(sa.select(AccessRequest).where(AccessRequest.id == request_id))
                             ).scalar_one_or_none()
    if req is None or not rules.may_view(viewer_of(user), agency_id=req.agency_id, coc_id=req.agency.coc_id):
        raise NotFound("There is no such access request.")
    return req
