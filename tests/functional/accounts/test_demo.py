"""``flask --app wsgi lms demo``: a believable, idempotent demo world with printed one-time passwords."""

import re

import pyotp
import sqlalchemy as sa

from lms.accounts.models import User
from lms.core import signals
from lms.core.roles import Role
from lms.orgs.models import Agency, Coc, Project

LINE = re.compile(r"^\s+(\S+@demo\.hmis-training\.invalid)\s+.+?\s{2,}(\S+)$")
TOTP = re.compile(r"TOTP key \(add it to an authenticator app\): ([A-Z2-7]+)$")


#: What each demo role sees in its navigation (of these four entries).
NAVIGATION = {
    "end.user": set(), "agency.rep": set(), "helpdesk": set(), "hmis.manager": {"Agencies"},
    "sysadmin": {"People", "Audit log", "Agencies", "CoCs"}, "lead.admin": {"People", "Audit log", "Agencies", "CoCs"},
}


def _printed(output):
    """Return {email: (password, totp_secret)} from the command's table."""
    people, last = {}, None
    for line in output.splitlines():
        if m := TOTP.search(line):
            people[last] = (people[last][0], m.group(1))
        elif (m := LINE.match(line)) and "password unchanged" not in line:
            last = m.group(1)
            people[last] = (m.group(2), None)
    return people


def test_demo_first_run_creates_cocs_agencies_projects_and_one_person_per_role(runner, db_session):
    result = runner.invoke(args=["lms", "demo"])
    assert result.exit_code == 0, result.output
    codes = set(db_session.execute(sa.select(Coc.code)).scalars())
    assert {"MO-606", "MO-600", "MO-602", "MO-603"} <= codes
    assert db_session.execute(sa.select(sa.func.count(Agency.id))).scalar_one() >= 6
    types = set(db_session.execute(sa.select(Project.project_type)).scalars())
    assert {0, 1, 2, 3, 4, 13} <= types
    roles = set()
    for user in db_session.execute(sa.select(User)).scalars():
        roles |= user.roles
    assert roles == set(Role)
    assert len(_printed(result.output)) == len(Role)


def test_demo_second_run_changes_nothing_and_prints_no_password(runner, db_session):
    runner.invoke(args=["lms", "demo"])
    before = db_session.execute(sa.select(sa.func.count(User.id))).scalar_one()
    second = runner.invoke(args=["lms", "demo"])
    assert second.exit_code == 0
    assert "already exists" in second.output
    assert _printed(second.output) == {}
    assert db_session.execute(sa.select(sa.func.count(User.id))).scalar_one() == before


def test_demo_passwords_are_random_not_hard_coded(runner, app):
    first = _printed(runner.invoke(args=["lms", "demo"]).output)
    again = _printed(runner.invoke(args=["lms", "demo", "--reset-passwords"]).output)
    assert set(first) == set(again)
    assert all(first[e][0] != again[e][0] for e in first)


def test_demo_every_printed_password_signs_in_and_must_be_changed(runner, app, clock):
    people = _printed(runner.invoke(args=["lms", "demo"]).output)
    for email, (password, secret) in people.items():
        client = app.test_client()
        resp = client.post("/auth/login", data={"email": email, "password": password})
        assert resp.status_code == 303, (email, resp.get_data(as_text=True)[:500])
        if secret:  # staff: TOTP from the printed key
            assert "/auth/mfa" in resp.headers["Location"]
            clock.advance(seconds=30)
            resp = client.post("/auth/mfa", data={"code": pyotp.TOTP(secret).at(clock.now)})
            assert resp.status_code == 303, (email, resp.get_data(as_text=True)[:500])
        # A password someone else set is changed at first sign-in.
        assert "/auth/password" in client.get("/").headers.get("Location", ""), email
        new = "Juniper-Lantern-2031"
        resp = client.post("/auth/password", data={"current_password": password, "new_password": new,
                                                   "confirm": new})
        assert resp.status_code == 303, (email, resp.get_data(as_text=True)[:800])
        nav = client.get("/").get_data(as_text=True).split('aria-label="Primary navigation"')[1].split("</nav>")[0]
        role = email.split("@")[0]
        sees = {label for label in ("People", "Audit log", "Agencies", "CoCs") if f"<span>{label}</span>" in nav}
        assert sees == NAVIGATION[role], (email, sees)


def test_demo_sends_demo_seeded_with_the_projects(runner):
    received = []

    def receiver(sender, **kw):
        received.append(kw["projects"])

    signals.demo_seeded.connect(receiver)
    try:
        runner.invoke(args=["lms", "demo"])
    finally:
        signals.demo_seeded.disconnect(receiver)
    assert received and {p["coc_code"] for p in received[0]} == {"MO-606", "MO-600", "MO-602", "MO-603"}
