"""``flask --app wsgi users create``."""

import sqlalchemy as sa

from lms.accounts.models import User
from lms.core.roles import Role


def test_users_create_prints_a_one_time_password_that_signs_in(runner, app, make_agency, db_session):
    agency = make_agency()
    result = runner.invoke(args=["users", "create", "New.Person@Example.org", "--role", "agency_rep",
                                 "--agency", str(agency.id)])
    assert result.exit_code == 0, result.output
    password = result.output.strip().split()[-1]
    user = db_session.execute(sa.select(User).where(User.email == "new.person@example.org")).scalar_one()
    assert user.roles == {Role.AGENCY_REP} and user.must_change_password
    assert [m.agency_id for m in user.active_memberships] == [agency.id]
    resp = app.test_client().post("/auth/login", data={"email": "new.person@example.org", "password": password})
    assert resp.status_code == 303


def test_users_create_refuses_bad_input_with_a_message(runner, make_user):
    make_user(email="taken@example.org")
    cases = [
        (["users", "create", "taken@example.org", "--role", "end_user"], "already"),
        (["users", "create", "not-an-email", "--role", "end_user"], "valid e-mail"),
        (["users", "create", "a@example.org", "--role", "wizard"], "Invalid value"),
        (["users", "create", "a@example.org", "--role", "agency_rep"], "needs an agency"),
        (["users", "create", "a@example.org", "--role", "end_user", "--agency", "999999"], "no agency"),
    ]
    for args, message in cases:
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
