"""API tokens (create, revoke, authenticate, reach) and the data each API call answers with.

A token reads only the people of the CoCs and agencies it was given (or everyone, when
made for all organisations); a person outside its reach is answered as if they did not
exist.  Every call is audited by the view layer.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from lms.accounts.models import AgencyMembership, User
from lms.api import rules
from lms.api.models import ApiToken, ApiTokenReach
from lms.core import audit
from lms.core.errors import Conflict, DomainError, InvalidInput, NotFound
from lms.orgs.models import Agency, Coc

audit.label_actions({
    "api.token_created": "API token created",
    "api.token_revoked": "API token revoked",
    "api.call": "API call",
    "api.refused": "API call refused",
})

#: ``last_used_at`` is written at most this often (a busy integration must not write on every call).
LAST_USED_EVERY = timedelta(minutes=1)


class Unauthorized(DomainError):
    """No usable token: missing, malformed, unknown or revoked."""

    status_code = 401


class ScopeMissing(DomainError):
    status_code = 403


# --- tokens ----------------------------------------------------------------------------------------

def create_token(db_session: Session, *, name: str, scopes: Iterable[str], coc_ids: Iterable[int] = (),
                 agency_ids: Iterable[int] = (), all_organisations: bool = False, actor: User, now: datetime,
                 ip: str | None = None) -> tuple[ApiToken, str]:
    """Create a token; return it and its secret (shown once, stored only as a hash)."""
    name = (name or "").strip()
    scopes = list(dict.fromkeys(scopes))
    coc_ids, agency_ids = sorted(set(coc_ids)), sorted(set(agency_ids))
    if problems := rules.name_problems(name):
        raise InvalidInput(" ".join(problems), field="name")
    if problems := rules.scope_problems(scopes):
        raise InvalidInput(" ".join(problems), field="scopes")
    if problems := rules.reach_problems(all_organisations, coc_ids, agency_ids):
        raise InvalidInput(" ".join(problems), field="reach")
    known_cocs = set(db_session.execute(sa.select(Coc.id).where(Coc.id.in_(coc_ids))).scalars()) if coc_ids else set()
    known_agencies = (set(db_session.execute(sa.select(Agency.id).where(Agency.id.in_(agency_ids))).scalars())
                      if agency_ids else set())
    if set(coc_ids) - known_cocs or set(agency_ids) - known_agencies:
        raise InvalidInput("One of the chosen CoCs or agencies does not exist.", field="reach")
    secret = rules.new_secret()
    token = ApiToken(name=name, token_hash=rules.hash_secret(secret), prefix=secret[:rules.SHOWN],
                     scopes=" ".join(s for s in rules.SCOPES if s in scopes), all_organisations=all_organisations,
                     created_at=now, created_by_id=actor.id)
    token.reach = ([ApiTokenReach(coc_id=i) for i in coc_ids] + [ApiTokenReach(agency_id=i) for i in agency_ids])
    db_session.add(token)
    db_session.flush()
    audit.record(db_session, action="api.token_created", now=now, actor=actor, target=token, ip=ip,
                 name=name, scopes=token.scopes, reach="all" if all_organisations else
                 f"CoCs {coc_ids or '-'}; agencies {agency_ids or '-'}")
    return token, secret


def revoke_token(db_session: Session, token: ApiToken, *, actor: User, now: datetime, ip: str | None = None) -> None:
    if token.revoked_at is not None:
        raise Conflict("This token was already revoked.")
    token.revoked_at, token.revoked_by_id = now, actor.id
    audit.record(db_session, action="api.token_revoked", now=now, actor=actor, target=token, ip=ip, name=token.name)


def tokens(db_session: Session) -> list[ApiToken]:
    return list(db_session.execute(sa.select(ApiToken).options(selectinload(ApiToken.created_by))
                                   .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(),
                                             ApiToken.id.desc())).scalars())


def authenticate(db_session: Session, header: str | None, *, now: datetime) -> ApiToken:
    """Return the active token of an Authorization header, or raise :class:`Unauthorized`."""
    secret = rules.bearer_secret(header)
    if secret is None:
        raise Unauthorized("Send an API token as 'Authorization: Bearer <token>'.")
    token = db_session.execute(sa.select(ApiToken).where(ApiToken.token_hash == rules.hash_secret(secret))
                               ).scalar_one_or_none()
    if token is None or token.revoked_at is not None:
        raise Unauthorized("This API token is unknown or was revoked.")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        token.last_used_at = now
    return token


def require_scope(token: ApiToken, scope: str) -> None:
    if scope not in token.scope_set:
        raise ScopeMissing(f"This API token may not do that: it needs the scope '{scope}'.")


def agency_ids_in_reach(db_session: Session, token: ApiToken) -> set[int] | None:
    """Return the agencies a token may read (None: every agency)."""
    if token.all_organisations:
        return None
    agencies = {r.agency_id for r in token.reach if r.agency_id is not None}
    cocs = {r.coc_id for r in token.reach if r.coc_id is not None}
    if cocs:
        agencies |= set(db_session.execute(sa.select(Agency.id).where(Agency.coc_id.in_(cocs))).scalars())
    return agencies


def in_reach(person: User, reach: set[int] | None) -> bool:
    if reach is None:
        return True
    return any(m.agency_id in reach for m in person.active_memberships)


def person_in_reach(db_session: Session, token: ApiToken, person_id: int) -> User:
    """Load a person the token may read, or raise NotFound (outside its reach looks the same as missing)."""
    person = db_session.execute(sa.select(User).where(User.id == person_id).options(
        selectinload(User.memberships).selectinload(AgencyMembership.agency).selectinload(Agency.coc))
    ).scalar_one_or_none()
    if person is None or not in_reach(person, agency_ids_in_reach(db_session, token)):
        raise NotFound("No person with this id is within this token's reach.")
    return person


# --- what the calls answer -----------------------------------------------------------------------

def _agencies(person: User) -> list[dict[str, Any]]:
    return [{"id": m.agency.id, "name": m.agency.name, "coc": m.agency.coc.code}
            for m in person.active_memberships]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def person_status(db_session: Session, person: User, *, now: datetime, zone: str) -> dict[str, Any]:
    """A person's requirements for this fiscal year and whether live credentials may be issued."""
    from lms.credentials import services as credentials
    from lms.training import services as training

    checklist = training.checklist(db_session, person, now=now, zone=zone)
    eligibility = credentials.eligibility_of(db_session, person, now=now, zone=zone)
    live = credentials.issued_credential(db_session, person)
    return {
        "id": person.id,
        "full_name": person.full_name,
        "email": person.email,
        "active": person.is_active,
        "agencies": _agencies(person),
        "fiscal_year": checklist.fiscal_year,
        "requirements": [{"key": s.key, "label": s.label, "met": s.met, "achieved_at": _iso(s.achieved_at),
                          "annual": s.annual, "next_step": s.next_step} for s in checklist.statuses],
        "progress": {"met": checklist.progress.met, "total": checklist.progress.total},
        "eligibility": {"eligible": eligibility.eligible, "reasons": eligibility.reasons, "codes": eligibility.codes},
        "live_credential": None if live is None else {"username": live.username, "issued_at": _iso(live.issued_at)},
    }


def credential_queue(db_session: Session, token: ApiToken, *, now: datetime, zone: str) -> dict[str, Any]:
    from lms.credentials import services as credentials

    reach = agency_ids_in_reach(db_session, token)
    q = credentials.queue(db_session, now=now, zone=zone)

    def row(r: Any) -> dict[str, Any]:
        return {"person_id": r.person.id, "full_name": r.person.full_name, "email": r.person.email,
                "agencies": [m.agency.name for m in r.person.active_memberships],
                "eligible": r.eligibility.eligible, "reasons": r.eligibility.reasons}

    return {"eligible": [row(r) for r in q.eligible if in_reach(r.person, reach)],
            "waiting": [row(r) for r in q.waiting if in_reach(r.person, reach)]}


def issue_credential(db_session: Session, token: ApiToken, body: Any, *, now: datetime, zone: str,
                     ip: str | None) -> dict[str, Any]:
    """Issue live credentials as the token's creator; refused with every reason when not eligible."""
    from lms.credentials import services as credentials

    if not isinstance(body, dict):
        raise InvalidInput("Send a JSON object: {\"person_id\": 12, \"username\": \"jdoe\"}.")
    person_id, username = body.get("person_id"), body.get("username")
    if type(person_id) is float and person_id.is_integer():
        person_id = int(person_id)  # JSON has one number type: 12.0 is the integer 12
    if type(person_id) is not int or not 1 <= person_id <= 2**31 - 1:
        raise InvalidInput("person_id must be a whole number (a person's id).", field="person_id")
    if not isinstance(username, str):
        raise InvalidInput("username must be text: the person's user name in the live HMIS.", field="username")
    unknown = sorted(set(body) - {"person_id", "username"})
    if unknown:
        raise InvalidInput(f"Unknown field: {', '.join(unknown)[:200]}.")
    person = person_in_reach(db_session, token, person_id)
    credential, password = credentials.issue(db_session, person, username=username, now=now,
                                             actor=token.created_by, ip=ip, zone=zone)
    return {"person_id": person.id, "username": credential.username, "issued_at": _iso(credential.issued_at),
            "temporary_password": password}


def revocations_due(db_session: Session, token: ApiToken, *, today: Any) -> list[dict[str, Any]]:
    from lms.accounts.revocations import services as revocations

    reach = agency_ids_in_reach(db_session, token)
    q = revocations.credential_queue()
    if reach is not None:
        q = q.where(revocations.RevocationNotice.agency_id.in_(reach or {-1}))
    return [{"notice_id": n.id, "person_id": n.user_id, "full_name": n.user.full_name, "agency": n.agency.name,
             "effective_on": n.effective_on.isoformat(), "credential_due_on": n.credential_due_on.isoformat(),
             "overdue": n.credential_due_on < today}
            for n in db_session.execute(q).unique().scalars()]


def _tally(tally: Any) -> dict[str, int]:
    """The API's counts of a dashboard tally: everyone, certified, in new-user training, not yet certified
    (in progress, not started, overdue or suspended) and, of those, suspended."""
    from lms.recert import rules as recert_rules

    c = tally.counts
    return {"people": tally.total, "certified": c[recert_rules.CERTIFIED],
            "in_new_user_training": c[recert_rules.EXEMPT],
            "outstanding": tally.total - c[recert_rules.CERTIFIED] - c[recert_rules.EXEMPT],
            "suspended": c[recert_rules.SUSPENDED]}


def cycle_status(db_session: Session, token: ApiToken, fiscal_year: int, *, now: datetime) -> dict[str, Any]:
    """A recertification cycle's counts by CoC and by agency (the people the token may read), as the
    recertification dashboard counts them."""
    from lms.recert import dashboard
    from lms.recert import services as recert

    cycle = recert.get_cycle(db_session, fiscal_year)
    if cycle is None:
        raise NotFound(f"No recertification cycle was opened for fiscal year {fiscal_year}.")
    scope = dashboard.scope_for(db_session, everything=token.all_organisations,
                                coc_ids=[r.coc_id for r in token.reach if r.coc_id is not None],
                                agency_ids=[r.agency_id for r in token.reach if r.agency_id is not None])
    board = dashboard.tallies(db_session, scope, cycle, dashboard.Filters(), now=now)
    codes = {coc_id: code for coc_id, code, _ in scope.cocs}
    agencies = {a.id: a for a in scope.agencies}
    return {
        "fiscal_year": cycle.fiscal_year, "opened_on": cycle.opened_on.isoformat(), "due_on": cycle.due_on.isoformat(),
        "totals": _tally(board.overall),
        "cocs": [{"coc": codes[t.key], **_tally(t)} for t in board.by_coc],
        "agencies": [{"agency_id": t.key, "agency": t.label, "coc": agencies[t.key].coc_code, **_tally(t)}
                     for t in board.by_agency if t.key is not None],
    }
