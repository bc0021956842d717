"""Count SQL statements per request, seed volume, sign in a benchmark user."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterator

import pyotp
import sqlalchemy as sa
from sqlalchemy import event

#: Page → the most SQL statements one request may issue, whatever the data volume.
BUDGETS: dict[str, int] = {
    "/": 6,
    "/admin/audit": 8,
    "/admin/audit?q=accounts.user_created": 8,
    "/admin/jobs": 8,
    "/admin/settings": 6,
    "/admin/cocs": 8,
    "/admin/agencies": 8,
    "/admin/agencies?q=agency": 8,
    "/admin/projects": 8,
    "/admin/projects?type=0": 8,
    "/admin/people": 8,
    "/admin/people?q=person1": 8,
    "/admin/people?role=end_user&status=all": 8,
}


@dataclass
class QueryCounter:
    count: int = 0
    statements: list[str] | None = None

    def __post_init__(self) -> None:
        self.statements = []


@contextlib.contextmanager
def count_queries(engine: sa.Engine) -> Iterator[QueryCounter]:
    """Count the statements ``engine`` executes inside the block (SAVEPOINT bookkeeping excluded)."""
    counter = QueryCounter()

    def before(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        text = statement.lstrip().upper()
        if text.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN")):
            return
        counter.count += 1
        counter.statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before)


def page_exists(app, url: str) -> bool:
    path = url.split("?", 1)[0]
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(path, method="GET")
        return True
    except Exception:  # noqa: BLE001 - NotFound, MethodNotAllowed, RequestRedirect
        return False


def seed_volume(db_session, hashing, *, now: datetime, cocs: int = 4, agencies: int = 200, projects_per_agency: int = 3,
                people: int = 5000, audit_events: int = 20000) -> None:
    """Insert a realistic volume quickly (one password hash shared: hashing is benchmarked apart)."""
    from lms.accounts.models import AgencyMembership, RoleGrant, User
    from lms.core.audit import AuditEvent
    from lms.orgs.models import Agency, Coc, Project

    pw = hashing.hash("Bench-Password-2026")
    coc_rows = [Coc(code=f"BN-{i:03d}", name=f"Bench CoC {i}", created_at=now) for i in range(cocs)]
    db_session.add_all(coc_rows)
    db_session.flush()
    agency_rows = [Agency(coc_id=coc_rows[i % cocs].id, name=f"Bench Agency {i}", created_at=now,
                          apa_signed_on=date(2026, 1, 1), apa_renewal_due=date(2027, 1, 1)) for i in range(agencies)]
    db_session.add_all(agency_rows)
    db_session.flush()
    db_session.add_all([Project(agency_id=a.id, name=f"{a.name} project {j}", project_type=[0, 2, 3, 4, 13][j % 5],
                                created_at=now) for a in agency_rows for j in range(projects_per_agency)])
    users = [User(email=f"person{i}@bench.invalid", full_name=f"Bench Person{i}", password_hash=pw,
                  password_changed_at=now, must_change_password=False, is_active=True, created_at=now)
             for i in range(people)]
    db_session.add_all(users)
    db_session.flush()
    db_session.add_all([RoleGrant(user_id=u.id, role="end_user", agency_id=agency_rows[i % agencies].id,
                                  granted_at=now) for i, u in enumerate(users)])
    db_session.add_all([AgencyMembership(user_id=u.id, agency_id=agency_rows[i % agencies].id, kind="employee",
                                         started_on=date(2026, 1, 1)) for i, u in enumerate(users)])
    db_session.flush()
    db_session.execute(sa.insert(AuditEvent), [
        {"occurred_at": now - timedelta(minutes=i), "action": "accounts.user_created", "actor_id": None,
         "target_type": "user", "target_id": str(users[i % people].id), "ip": "127.0.0.1", "details": {}}
        for i in range(audit_events)
    ])
    db_session.flush()


def make_admin(db_session, hashing, *, now: datetime, password: str):
    """Create a lead administrator with TOTP enrolled; return (user, secret)."""
    from lms.accounts import services
    from lms.core.roles import Role

    user, _ = services.create_user(db_session, hashing, email="bench.admin@bench.invalid", full_name="Bench Admin",
                                   now=now, password=password)
    user.must_change_password = False
    services.grant_role(db_session, user, Role.LEAD_ADMIN, now=now)
    user.totp_secret = pyotp.random_base32()
    user.totp_enrolled_at = now
    db_session.flush()
    return user, user.totp_secret


def sign_in(client, email: str, password: str, secret: str | None, clock) -> None:
    resp = client.post("/auth/login", data={"email": email, "password": password})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:300]
    if secret:
        clock.advance(seconds=30)
        resp = client.post("/auth/mfa", data={"code": pyotp.TOTP(secret).at(clock.now)})
        assert resp.status_code == 303, resp.get_data(as_text=True)[:300]
