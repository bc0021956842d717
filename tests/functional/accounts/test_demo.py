"""``flask --app wsgi lms demo``: a believable, idempotent demo world with printed one-time passwords."""

import re

import pyotp
import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.core import signals
from lms.core.roles import Role
from lms.orgs.models import Agency, Coc, Project

LINE = re.compile(r"^\s+(\S+@demo\.example\.org)\s+.+?\s{2,}(\S+)$")
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


RECOVERY = re.compile(r"Recovery codes \(each works once\): ((?:[a-z0-9]{5}-[a-z0-9]{5} ?)+)$")


def test_demo_prints_recovery_codes_for_staff_once_and_they_work(runner, app, clock):
    output = runner.invoke(args=["lms", "demo"]).output
    people = _printed(output)
    codes = [m.group(1).split() for line in output.splitlines() if (m := RECOVERY.search(line))]
    staff = [email for email, (_, secret) in people.items() if secret]
    assert staff and len(codes) == len(staff) and all(len(c) == 10 for c in codes)
    email, code = staff[0], codes[0][0]
    client = app.test_client()
    client.post("/auth/login", data={"email": email, "password": people[email][0]})
    assert client.post("/auth/mfa", data={"code": code}).status_code == 303  # instead of a TOTP code
    assert _printed(runner.invoke(args=["lms", "demo"]).output) == {}
    assert "Recovery codes" not in runner.invoke(args=["lms", "demo"]).output


def test_demo_addresses_are_accepted_by_forgot_password(runner, client):
    people = _printed(runner.invoke(args=["lms", "demo"]).output)
    email = next(iter(people))
    resp = client.post("/auth/forgot", data={"email": email})
    resp.close()
    assert resp.status_code == 303


@pytest.mark.parametrize("argv,expected", [
    ([], ("127.0.0.1", 5000, [])),
    (["--port", "8123"], ("127.0.0.1", 8123, [])),
    (["--port=8123", "--host=0.0.0.0"], ("0.0.0.0", 8123, [])),
    (["-p", "9000", "-h", "localhost", "--debug"], ("localhost", 9000, ["--debug"])),
])
def test_manage_demo_reads_port_and_host(argv, expected):
    import manage

    assert manage.serve_address(argv) == expected


def test_manage_demo_prints_and_serves_the_chosen_port(monkeypatch, capsys):
    import manage

    calls = []
    monkeypatch.setattr(manage, "ensure_env", lambda: None)
    monkeypatch.setattr(manage, "flask", lambda *args, env=None: calls.append((args, env)))
    monkeypatch.delenv("LMS_BASE_URL", raising=False)
    manage.cmd_demo(["--port", "8123"])
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123" in out and "5000" not in out
    run = calls[-1]
    assert run[0][:5] == ("run", "--host", "127.0.0.1", "--port", "8123")
    assert run[1]["LMS_BASE_URL"] == "http://127.0.0.1:8123"


def test_first_run_installs_without_the_build_backends_warnings(monkeypatch, tmp_path):
    """The first `manage.py demo` prints what a person needs, not setuptools' notices to package authors."""
    import manage

    calls = []
    monkeypatch.setattr(manage, "VENV", tmp_path)
    monkeypatch.setattr(manage, "PY", tmp_path / "python")
    monkeypatch.setattr(manage, "STAMP", tmp_path / ".installed")
    (tmp_path / "python").write_text("")
    monkeypatch.setattr(manage, "run", lambda *args, env=None, check=True: calls.append((args, env)) or 0)
    manage.ensure_env()
    installs = [env for args, env in calls if "install" in args]
    assert len(installs) == 2 and all(env and env.get("PYTHONWARNINGS") == "ignore" for env in installs)


def test_demo_publishes_the_agreement_and_loads_the_question_banks(runner, db_session):
    """The demo trainee can sign the agreement and take each course's test without another command."""
    from lms.training.models import UpraVersion
    from quizzes.models import QuizBank

    assert runner.invoke(args=["lms", "demo"]).exit_code == 0
    assert db_session.execute(sa.select(sa.func.count(UpraVersion.id))).scalar_one() >= 1
    courses = set(db_session.execute(sa.select(QuizBank.course)).scalars())
    assert courses == {"security_privacy", "data_standards", "cs_basics"}
