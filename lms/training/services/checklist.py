"""Who may read whose training, and the onboarding checklist built from plans, evidence and the agreement.

Read only.  Split from :mod:`lms.training.services.ledger` (evidence, plans) and
:mod:`lms.training.services.upra` (the agreement), whose records it reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from lms.accounts.models import User
from lms.core.roles import ADMIN_ROLES, Role
from lms.training import rules
from lms.training.models import Evidence, TrainingPlan, UpraVersion
from lms.training.services.ledger import all_evidence, current_plan
from lms.training.services.upra import current_upra

# --- who may read whose training ---------------------------------------------------------------

def may_view_training_of(viewer: User, person: User) -> bool:
    """Tell whether ``viewer`` may read ``person``'s training record and signed agreements.

    The person themself; system and HMIS lead administrators; an HMIS manager of
    a CoC where the person has a current agency membership; an agency's authorized
    representative when the person is a current member of an agency they represent
    (a former member's record is no longer theirs to read).
    """
    if viewer.id == person.id or viewer.roles & ADMIN_ROLES:
        return True
    managed = viewer.coc_ids_for(Role.HMIS_MANAGER)
    represented = viewer.agency_ids_for(Role.AGENCY_REP)
    return any(m.agency_id in represented or m.agency.coc_id in managed for m in person.active_memberships)


def training_records_query(viewer: User, search: str = "", *, represented_only: bool = False) -> sa.Select:
    """Return the query of the people whose training ``viewer`` may read (see :func:`may_view_training_of`).

    ``represented_only``: just the current members of the agencies ``viewer`` represents
    (the representative's home panel), whatever else their roles let them read.
    """
    from lms.accounts.models import AgencyMembership
    from lms.orgs.models import Agency

    q = sa.select(User).order_by(sa.func.lower(User.full_name), User.id)
    if represented_only or not viewer.roles & ADMIN_ROLES:
        managed = set() if represented_only else viewer.coc_ids_for(Role.HMIS_MANAGER)
        represented = viewer.agency_ids_for(Role.AGENCY_REP)
        scopes = []
        if managed:
            scopes.append(Agency.coc_id.in_(managed))
        if represented:
            scopes.append(AgencyMembership.agency_id.in_(represented))
        in_scope = (sa.select(AgencyMembership.user_id).join(Agency, Agency.id == AgencyMembership.agency_id)
                    .where(AgencyMembership.ended_on.is_(None), sa.or_(sa.false(), *scopes)))
        q = q.where(User.id.in_(in_scope))
    if search:
        like = f"%{search.lower()}%"
        q = q.where(sa.or_(sa.func.lower(User.full_name).like(like), sa.func.lower(User.email).like(like)))
    return q


# --- the checklist -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Checklist:
    """What one person must do in one fiscal year, and where each requirement stands."""

    fiscal_year: int
    plan: TrainingPlan | None
    statuses: list[rules.RequirementStatus]
    progress: rules.Progress
    upra: UpraVersion | None

    @property
    def next_requirement(self) -> rules.RequirementStatus | None:
        """Return the first requirement not yet met, or None when all are."""
        return next((s for s in self.statuses if not s.met), None)


def _build_checklist(plan: TrainingPlan | None, evidence: Iterable[Evidence], upra: UpraVersion | None, *,
                     now: datetime, fiscal_year: int) -> Checklist:
    not_before = {rules.UPRA: upra.published_at} if upra is not None else {}
    statuses = rules.requirement_status(plan, evidence, now=now, fiscal_year=fiscal_year, not_before=not_before)
    return Checklist(fiscal_year=fiscal_year, plan=plan, statuses=statuses, progress=rules.progress(statuses),
                     upra=upra)


def checklist(db_session: Session, user: User, *, now: datetime, zone: str = rules.DEFAULT_ZONE) -> Checklist:
    """Build ``user``'s checklist for the fiscal year of ``now`` (three queries, whatever the history)."""
    plan = current_plan(db_session, user)
    upra = current_upra(db_session, with_policies=False)
    return _build_checklist(plan, all_evidence(db_session, user), upra, now=now,
                            fiscal_year=rules.fiscal_year_of(now, zone))


def checklists(db_session: Session, users: Iterable[User], *, now: datetime,
               zone: str = rules.DEFAULT_ZONE) -> dict[int, Checklist]:
    """Build each person's checklist, by user id, in four queries whatever the number of people.

    The same checklist :func:`checklist` builds for one person: their latest plan
    (with its requirements), all their evidence, and the current agreement version.
    """
    ids = list(dict.fromkeys(u.id for u in users))
    if not ids:
        return {}
    plans: dict[int, TrainingPlan] = {}
    for plan in db_session.execute(
            sa.select(TrainingPlan).where(TrainingPlan.user_id.in_(ids))
            .order_by(TrainingPlan.created_at, TrainingPlan.id)
            .options(selectinload(TrainingPlan.requirements))).scalars():
        plans[plan.user_id] = plan  # the latest plan replaces the earlier ones
    evidence: dict[int, list[Evidence]] = {}
    for ev in db_session.execute(
            sa.select(Evidence).where(Evidence.user_id.in_(ids)).order_by(Evidence.achieved_at, Evidence.id)).scalars():
        evidence.setdefault(ev.user_id, []).append(ev)
    upra = current_upra(db_session, with_policies=False)
    fiscal_year = rules.fiscal_year_of(now, zone)
    return {uid: _build_checklist(plans.get(uid), evidence.get(uid, []), upra, now=now, fiscal_year=fiscal_year)
            for uid in ids}
