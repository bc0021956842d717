"""Who sees whom on the recertification dashboard.

Who sees whom follows :func:`lms.training.services.may_view_training_of`: HMIS lead and system
administrators see every active end user; an HMIS manager the current members of the agencies of
their CoCs; an agency's authorized representative the current members of the agencies they represent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.core.roles import ADMIN_ROLES, Role
from lms.orgs.models import Agency, Coc

#: Who may open the dashboard (each sees only their own scope).
READERS = frozenset({Role.LEAD_ADMIN, Role.SYSADMIN, Role.HMIS_MANAGER, Role.AGENCY_REP})

# --- scope -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AgencyRef:
    id: int
    name: str
    coc_id: int
    coc_code: str
    coc_name: str


@dataclass(frozen=True)
class Scope:
    """The agencies (and so the CoCs) a viewer may see people of; ``everything``: every person."""

    everything: bool
    agencies: list[AgencyRef]
    #: The HMIS manager's CoCs and the representative's agencies (empty for administrators).
    coc_ids: frozenset[int] = frozenset()
    agency_ids: frozenset[int] = frozenset()

    @property
    def cocs(self) -> list[tuple[int, str, str]]:
        """(id, code, name) of every CoC with an agency in scope, by code."""
        return sorted({(a.coc_id, a.coc_code, a.coc_name) for a in self.agencies}, key=lambda c: (c[1], c[0]))

    def agency(self, agency_id: int | None) -> AgencyRef | None:
        return next((a for a in self.agencies if a.id == agency_id), None)

    def has_coc(self, coc_id: int | None) -> bool:
        return any(a.coc_id == coc_id for a in self.agencies)

    def note(self) -> str:
        """Say whose people the dashboard holds, for someone who may not see everyone's."""
        if self.everything:
            return ""
        parts = []
        if self.coc_ids:
            parts.append("the people of the agencies in your CoCs")
        if self.agency_ids:
            parts.append("the current members of the agencies you represent")
        return " and ".join(parts)


def scope_of(db_session: Session, viewer: User) -> Scope:
    """Return ``viewer``'s scope (one query: the agencies in it, with their CoCs)."""
    if viewer.roles & ADMIN_ROLES:
        return scope_for(db_session, everything=True)
    return scope_for(db_session, coc_ids=viewer.coc_ids_for(Role.HMIS_MANAGER),
                     agency_ids=viewer.agency_ids_for(Role.AGENCY_REP))


def scope_key(viewer: User) -> tuple:
    """What decides ``viewer``'s scope, read from their roles alone (no statement): the rendered dashboard is
    kept per scope (:mod:`.cache`), and :func:`scope_of` reads the rest from these."""
    if viewer.roles & ADMIN_ROLES:
        return (True,)
    return (False, frozenset(viewer.coc_ids_for(Role.HMIS_MANAGER)), frozenset(viewer.agency_ids_for(Role.AGENCY_REP)))


def scope_for(db_session: Session, *, everything: bool = False, coc_ids: Iterable[int] = (),
              agency_ids: Iterable[int] = ()) -> Scope:
    """Return the scope of every person, or of these CoCs' and agencies' people (an API token's reach too)."""
    q = (sa.select(Agency.id, Agency.name, Coc.id, Coc.code, Coc.name).join(Coc, Coc.id == Agency.coc_id)
         .order_by(Coc.code, sa.func.lower(Agency.name), Agency.id))
    if everything:
        return Scope(True, [AgencyRef(*row) for row in db_session.execute(q)])
    managed, represented = frozenset(coc_ids), frozenset(agency_ids)
    if not managed and not represented:
        return Scope(False, [])
    q = q.where(sa.or_(Agency.coc_id.in_(managed), Agency.id.in_(represented)))
    return Scope(False, [AgencyRef(*row) for row in db_session.execute(q)], managed, represented)
