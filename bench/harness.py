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
    # Session, user, roles; then each staff panel: access requests (count, oldest five), revocations
    # (one count), violations awaiting review (one count), and people ready for credentials (candidates,
    # their plans, their evidence, and the facts the access-request, sanctions and recertification
    # packages answer, and the HMIS Lead's refusals after practice cases: seven queries whatever their
    # number); and whether the viewer's own HMIS access is suspended for recertification (one).
    "/": 15,
    "/admin/audit": 8,
    # Session, user, roles; candidates with grants, memberships, agencies; plans, evidence; request and
    # suspension facts (sanctions, recertification); refusals (practice cases).
    "/admin/credentials/": 12,
    # Session, user, roles; cycles, suspension and reminder counts by cycle; the current cycle's active end
    # users, their yearly evidence and their plans.
    "/admin/recertification": 10,
    # Session, user, roles; the person's yearly evidence, cycles, reminders (and their cycles), suspensions,
    # live suspensions; their certificates and the years of their yearly evidence (is a certificate due?).
    "/recertification": 12,
    # Session, user, roles; the recertification data version; cycles; the agencies in the viewer's scope (with
    # their CoCs); the counts by status (overall, by CoC, by agency) and the completions per day, GROUP BYs
    # over each person's status computed in SQL (one statement); one page of 50 people with their status;
    # their agencies.  Asked again with the data unchanged: session, user, roles, the data version.
    "/recertification/dashboard": 9,
    "/recertification/dashboard?status=certified&q=person1": 9,
    # Session, user, roles; cycles; scope; the current agencies of everyone matching the filters; every one of
    # them with their status (read 500 at a time).
    "/recertification/dashboard/export.csv": 7,
    "/recertification/dashboard/export.xlsx": 7,
    "/admin/audit?q=accounts.user_created": 8,
    "/admin/jobs": 8,
    "/admin/settings": 6,
    "/admin/cocs": 8,
    "/admin/agencies": 8,
    "/admin/agencies?q=agency": 8,
    "/admin/projects": 8,
    "/admin/projects?type=0": 8,
    # Session, user, roles; the count; one page of people, each with their roles (one statement).
    "/admin/people": 5,
    "/admin/people?q=person1": 5,
    "/admin/people?role=end_user&status=all": 5,
}


#: Sandbox page → the most SQL statements one request may issue on the sandbox database, whatever the
#: size of the workspace (the data-quality page shows one page of clients with findings).
SANDBOX_BUDGETS: dict[str, int] = {
    "/sandbox/": 4,  # workspace, client count, one page of clients, the data-quality summary
    "/sandbox/quality": 10,
    "/sandbox/quality/apr": 2,  # workspace, the one Q6 statement
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
    users = add_people(db_session, password_hash=pw, agency_ids=[a.id for a in agency_rows], start=0, count=people,
                       now=now)
    db_session.execute(sa.insert(AuditEvent), [
        {"occurred_at": now - timedelta(minutes=i), "action": "accounts.user_created", "actor_id": None,
         "target_type": "user", "target_id": str(users[i % people].id), "ip": "127.0.0.1", "details": {}}
        for i in range(audit_events)
    ])
    db_session.flush()


def add_people(db_session, *, password_hash: str, agency_ids: list[int], start: int, count: int, now: datetime):
    """Add end users person{start}..person{start+count-1}, each with a grant and an agency membership."""
    from lms.accounts.models import AgencyMembership, RoleGrant, User

    users = [User(email=f"person{i}@bench.invalid", full_name=f"Bench Person{i}", password_hash=password_hash,
                  password_changed_at=now, must_change_password=False, is_active=True, created_at=now)
             for i in range(start, start + count)]
    db_session.add_all(users)
    db_session.flush()
    db_session.add_all([RoleGrant(user_id=u.id, role="end_user", agency_id=agency_ids[i % len(agency_ids)],
                                  granted_at=now) for i, u in enumerate(users)])
    db_session.add_all([AgencyMembership(user_id=u.id, agency_id=agency_ids[i % len(agency_ids)], kind="employee",
                                         started_on=date(2026, 1, 1)) for i, u in enumerate(users)])
    db_session.flush()
    return users


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


def seed_workspace(sdb, user_id: int, *, now: datetime, clients: int) -> int:
    """Give a person's sandbox workspace ``clients`` clients, each with a shelter stay and its start income
    (bulk inserts: thousands in seconds); every tenth has a data-quality finding.  Return the workspace id."""
    import lms.hud as hud
    from sandbox import services
    from sandbox.models import Client, Enrollment, IncomeBenefits

    ws = services.workspace_for_user(sdb, user_id, now=now)
    shelter = next(p for p in services.projects(sdb, ws.id) if p.ProjectType == hud.ES_EE)
    stamp = {"workspace_id": ws.id, "DateCreated": now.replace(tzinfo=None), "DateUpdated": now.replace(tzinfo=None),
             "UserID": "bench"}
    races = {col: 0 for col, _ in hud.RACE_COLUMNS}
    entry = now.date() - timedelta(days=1)
    for start in range(0, clients, 1000):
        ids = [f"bench{i:027d}" for i in range(start, min(clients, start + 1000))]
        sdb.execute(sa.insert(Client), [
            {**stamp, **races, "White": 1, "PersonalID": pid, "FirstName": f"First{pid[-5:]}", "LastName": "Bench",
             "NameDataQuality": 1, "SSN": None if pid.endswith("0") else "123456789",
             "SSNDataQuality": 99 if pid.endswith("0") else 1, "DOB": date(1980, 1, 1), "DOBDataQuality": 1,
             "VeteranStatus": 0} for pid in ids])
        sdb.execute(sa.insert(Enrollment), [
            {**stamp, "EnrollmentID": f"e{pid[1:]}", "PersonalID": pid, "ProjectID": shelter.ProjectID,
             "EntryDate": entry, "HouseholdID": f"h{pid[1:]}", "RelationshipToHoH": 1, "EnrollmentCoC": "MO-606",
             "DisablingCondition": 0, "LivingSituation": 116} for pid in ids])
        sdb.execute(sa.insert(IncomeBenefits), [
            {**stamp, "IncomeBenefitsID": f"i{pid[1:]}", "EnrollmentID": f"e{pid[1:]}", "PersonalID": pid,
             "InformationDate": entry, "DataCollectionStage": hud.STAGE_ENTRY, "IncomeFromAnySource": 0,
             "BenefitsFromAnySource": 0, "InsuranceFromAnySource": 0} for pid in ids])
    sdb.flush()
    return ws.id


@contextlib.contextmanager
def count_loaded(base) -> Iterator[list[int]]:
    """Count the ORM objects of ``base``'s models loaded inside the block (rows a page pulls into Python)."""
    loaded = [0]

    def on_load(target, context):  # noqa: ANN001
        loaded[0] += 1

    event.listen(base, "load", on_load, propagate=True)
    try:
        yield loaded
    finally:
        event.remove(base, "load", on_load)


def prepare_quizzes(db_session, *, now: datetime) -> None:
    """Load the shipped question banks and let a test be retaken at once (retake cool-down 0, through the
    settings, as an HMIS lead would set it), so a benchmark can submit tests back to back."""
    from lms.core import settings
    from quizzes import services as quizzes

    quizzes.load_content(db_session, now=now)
    settings.change(db_session, "quizzes.retake_cooldown_minutes", "0", actor=None, now=now)
    db_session.flush()


def unlock_tests(db_session, user_ids: list[int], *, now: datetime) -> None:
    """Record every course video as watched by ``user_ids``, so each may start every course's test."""
    from quizzes import rules, videos

    for user_id in user_ids:
        for course in rules.COURSES:
            videos.mark_watched(db_session, user_id, course, now=now)
    db_session.flush()
