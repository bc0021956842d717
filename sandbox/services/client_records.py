"""Clients: search before creating, likely duplicates, create and change (HUD's universal elements 3.01-3.07)."""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any, Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sandbox import validation as rules
from sandbox.models import Client, Workspace
from sandbox.services.common import apply_values, new_id, stamp


def search_clients(sdb: Session, ws_id: int, *, name: str = "", dob: date | None = None, ssn_last4: str = "",
                   limit: int = 50) -> list[Client]:
    """Search before creating, as in a real HMIS: any of name words, date of birth, last four of the SSN."""
    name, problems = rules.clean_text(name, field="name", limit=100)
    ssn_last4, more = rules.clean_text(ssn_last4, field="ssn4", limit=4)
    rules.raise_if(problems + more)  # the search form refuses these first; PostgreSQL would refuse a NUL
    q = sa.select(Client).where(Client.workspace_id == ws_id, Client.DateDeleted.is_(None))
    words = [w for w in (name or "").lower().split() if w][:4]
    for w in words:
        # autoescape: a "%" or "_" typed by the trainee is a character, not a wildcard.
        q = q.where(sa.or_(*(sa.func.lower(col).contains(w, autoescape=True)
                             for col in (Client.FirstName, Client.LastName, Client.MiddleName))))
    if dob is not None:
        q = q.where(Client.DOB == dob)
    if ssn_last4:
        q = q.where(Client.SSN.endswith(ssn_last4, autoescape=True))
    if not (words or dob or ssn_last4):
        return []
    return list(sdb.execute(q.order_by(Client.LastName, Client.FirstName).limit(limit)).scalars())


def clients(sdb: Session, ws_id: int, *, limit: int = 500) -> list[Client]:
    """Return the workspace's clients by name (a trainee's workspace holds a handful)."""
    return list(sdb.execute(sa.select(Client).where(Client.workspace_id == ws_id)
                            .order_by(Client.LastName, Client.FirstName).limit(limit)).scalars())


@functools.cache
def _client_page_queries() -> tuple[sa.Select, sa.Select]:
    """The sandbox home's two reads (count, page), built once at first use: a statement keeps its cache key,
    and building one costs about as much as running it on a small workspace."""
    live = (Client.workspace_id == sa.bindparam("ws_id"), Client.DateDeleted.is_(None))
    return (sa.select(sa.func.count(Client.id)).where(*live),
            sa.select(Client).where(*live).order_by(Client.LastName, Client.FirstName, Client.PersonalID)
            .limit(sa.bindparam("limit")).offset(sa.bindparam("offset")))


def client_page(sdb: Session, ws_id: int, *, page: int, per_page: int = 25) -> tuple[list[Client], int]:
    """Return one page of the workspace's clients, sorted by name, and how many clients there are in all."""
    count, one_page = _client_page_queries()
    total = sdb.execute(count, {"ws_id": ws_id}).scalar_one()
    rows = sdb.execute(one_page, {"ws_id": ws_id, "limit": per_page,
                                      "offset": (max(page, 1) - 1) * per_page}).scalars()
    return list(rows), total


def clients_by_id(sdb: Session, ws_id: int, personal_ids: Iterable[str]) -> dict[str, Client]:
    """Return the workspace's clients with these PersonalIDs, by PersonalID (to name them in a list)."""
    ids = sorted(set(personal_ids))
    if not ids:
        return {}
    rows = sdb.execute(sa.select(Client).where(Client.workspace_id == ws_id, Client.PersonalID.in_(ids))).scalars()
    return {c.PersonalID: c for c in rows}


def likely_duplicates(sdb: Session, ws_id: int, data: Mapping[str, Any], *, exclude: str | None = None) -> list[Client]:
    """Return clients that look like the same person: same SSN, or same date of birth and a shared name."""
    data, problems = rules.clean_texts({k: data.get(k) for k in ("FirstName", "LastName", "SSN", "DOB")}, "Client.csv")
    if problems:
        return []  # text the client's rules refuse matches no one; saving reports it
    conds = []
    ssn = data.get("SSN") or ""
    if len(ssn) == 9 and "x" not in ssn:
        conds.append(Client.SSN == ssn)
    first, last = (data.get("FirstName") or "").strip().lower(), (data.get("LastName") or "").strip().lower()
    if data.get("DOB") is not None and (first or last):
        name_match = []
        if first:
            name_match.append(sa.func.lower(Client.FirstName) == first)
        if last:
            name_match.append(sa.func.lower(Client.LastName) == last)
        conds.append(sa.and_(Client.DOB == data["DOB"], sa.or_(*name_match)))
    if first and last:
        conds.append(sa.and_(sa.func.lower(Client.FirstName) == first, sa.func.lower(Client.LastName) == last))
    if not conds:
        return []
    q = sa.select(Client).where(Client.workspace_id == ws_id, Client.DateDeleted.is_(None), sa.or_(*conds))
    if exclude:
        q = q.where(Client.PersonalID != exclude)
    return list(sdb.execute(q.limit(20)).scalars())


def save_client(sdb: Session, ws: Workspace, data: Mapping[str, Any], *, now: datetime, client: Client | None = None,
                record_id: str | None = None) -> Client:
    """Create (or change) a client after HUD's rules; race columns default to 0 (not selected)."""
    values, problems = rules.client_answers(data, today=now.date(), record_id=record_id)
    rules.raise_if(problems)
    if client is None and record_id:
        existing = sdb.execute(sa.select(Client).where(Client.workspace_id == ws.id, Client.PersonalID == record_id)
                               ).scalar_one_or_none()
        if existing is not None:
            return existing  # the same form sent twice
    ts = stamp(now)
    if client is None:
        client = Client(workspace_id=ws.id, PersonalID=record_id or new_id(), DateCreated=ts, UserID=ws.user_label)
        sdb.add(client)
    return apply_values(sdb, client, values, ts)
