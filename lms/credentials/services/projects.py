"""Add projects to an active person's access: who may, for whom, which projects. Flush, never commit.

A project type new to the person adds a practice case to their training plan, and the eligibility rule
reads the plan, so until it is done they are not eligible for credentials covering it.  Split from
:mod:`lms.credentials.services.issuance`: it changes the plan, never a credential.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from lms.accounts.models import AgencyMembership, User
from lms.core import audit
from lms.core.errors import InvalidInput, NotFound, PermissionDenied
from lms.core.roles import Role
from lms.orgs.models import Project
from lms.training import rules as training_rules
from lms.training import services as training_services

#: Who may add projects for anyone, whatever their agency: the HMIS lead administrator, who grants HMIS access
#: for every agency (and decides access requests in every CoC).  A system administrator runs the system but
#: decides no one's access, so, like an HMIS manager or a helpdesk reviewer, they may not.
ADD_PROJECTS_ANYWHERE = frozenset({Role.LEAD_ADMIN})


def projects_scope(actor: User) -> set[int] | None:
    """Return the agencies whose people and projects ``actor`` may add projects for (None: every agency)."""
    if actor.has_role(*ADD_PROJECTS_ANYWHERE):
        return None
    return actor.agency_ids_for(Role.AGENCY_REP)


def project_people(db_session: Session, actor: User) -> list[AgencyMembership]:
    """Return the current memberships of active people at the agencies ``actor`` represents (the people a
    representative may add projects for), by name."""
    agencies = actor.agency_ids_for(Role.AGENCY_REP)
    if not agencies:
        return []
    return list(db_session.execute(
        sa.select(AgencyMembership).join(User, User.id == AgencyMembership.user_id)
        .where(AgencyMembership.agency_id.in_(agencies), AgencyMembership.ended_on.is_(None),
               User.is_active.is_(True))
        .options(joinedload(AgencyMembership.user), joinedload(AgencyMembership.agency))
        .order_by(User.full_name, User.id, AgencyMembership.agency_id)).scalars())


def person_for_projects(db_session: Session, actor: User, user_id: int) -> User:
    """Return the person ``actor`` may add projects for; NotFound for anyone outside their agencies (the
    representative may not learn that person exists).  A deactivated person is returned: the refusal comes
    from :func:`add_projects`, in words."""
    user = db_session.get(User, user_id)
    scope = projects_scope(actor)
    if user is None or (scope is not None and not {m.agency_id for m in user.active_memberships} & scope):
        raise NotFound("That person is not one of your agency's people.")
    return user


def projects_for(db_session: Session, actor: User, user: User) -> list[Project]:
    """Return the active projects ``actor`` may add for ``user``: their current agencies' (the ones ``actor``
    represents), by agency then name."""
    agencies = {m.agency_id for m in user.active_memberships}
    scope = projects_scope(actor)
    if scope is not None:
        agencies &= scope
    if not agencies:
        return []
    return list(db_session.execute(
        sa.select(Project).where(Project.agency_id.in_(agencies), Project.is_active.is_(True))
        .options(joinedload(Project.agency)).order_by(Project.agency_id, Project.name, Project.id)).scalars())


def chosen_projects(db_session: Session, actor: User, project_ids: Iterable[int]) -> list[Project]:
    """Load the projects chosen by id; NotFound for an id that names no project, or a project of an agency
    ``actor`` does not represent (a forged id learns nothing)."""
    ids = list(dict.fromkeys(project_ids))
    if not ids:
        return []
    found = {p.id: p for p in db_session.execute(sa.select(Project).where(Project.id.in_(ids))).scalars()}
    scope = projects_scope(actor)
    if any(i not in found or (scope is not None and found[i].agency_id not in scope) for i in ids):
        raise NotFound("That project is not one of your agency's projects.", field="projects")
    return [found[i] for i in ids]


def add_projects_refusal(user: User) -> str | None:
    """Say why no project can be added for ``user`` whatever is chosen, or None."""
    if not user.is_active:
        return f"{user.full_name}'s account is deactivated; projects cannot be added."
    return None


def add_projects(db_session: Session, user: User, projects: Iterable[Project], *, now: datetime,
                 actor: User, ip: str | None = None) -> list[str]:
    """Extend ``user``'s training plan for projects their agency adds; return the practice groups added.

    A project type new to the person adds a practice case for its group to their
    plan; until the helpdesk approves it the person is not eligible for live
    credentials covering it (the eligibility rule reads the plan's practice cases).

    ``actor`` must represent one of the person's current agencies and every project's agency (an HMIS lead
    administrator may act for every agency, see :data:`ADD_PROJECTS_ANYWHERE`): anyone else gets
    ``PermissionDenied`` (no role for it) or ``NotFound`` (another agency's person or project), so the page,
    the command line and the API refuse alike.  A repeated request adds nothing new (the practice cases are
    already on the plan) and says so.
    """
    projects = list(projects)
    scope = projects_scope(actor)
    if scope is not None and not scope:
        raise PermissionDenied("Only an agency's authorized representative or an HMIS lead administrator may add "
                               "projects to a person's access.")
    if scope is not None:
        if not {m.agency_id for m in user.active_memberships} & scope:
            raise NotFound("That person is not one of your agency's people.")
        if any(p.agency_id not in scope for p in projects):
            raise NotFound("That project is not one of your agency's projects.", field="projects")
    refusal = add_projects_refusal(user)
    if refusal:
        raise InvalidInput(refusal)
    if not projects:
        raise InvalidInput("Choose at least one project.", field="projects")
    agencies = {m.agency_id for m in user.active_memberships}
    outside = [p.name for p in projects if p.agency_id not in agencies or not p.is_active]
    if outside:
        raise InvalidInput(f"{user.full_name} can only be given active projects of their own agencies; not: "
                           + ", ".join(outside) + ".", field="projects")
    # One change at a time per person: two submissions cannot both extend the plan (see :func:`issue`).
    db_session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    plan = training_services.current_plan(db_session, user)
    have = set(plan.requirement_keys) if plan is not None else set()
    wanted = training_rules.practice_groups_for(p.project_type for p in projects)
    new = [g for g in wanted if training_rules.practice_key(g) not in have]
    if new:
        training_services.add_practice_cases(db_session, user, new, now=now, actor=actor, ip=ip,
                                             reason="Projects added")
    audit.record(db_session, action="credentials.projects_added", now=now, actor=actor, target=user, ip=ip,
                 projects=", ".join(str(p.id) for p in projects), practice_cases_added=" ".join(new))
    return new
