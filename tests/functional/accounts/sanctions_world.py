"""The world and helpers shared by the sanctions page tests (``test_sanctions*.py``).

Two CoCs with an agency each, the people every role needs, and short ways to record, review and remedy a
violation through the pages.
"""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.sanctions.models import Suspension, Violation
from lms.auth.models import UserSession
from lms.core.audit import AuditEvent
from lms.core.db import get_database
from lms.core.jobs import SUCCEEDED, run_job
from lms.core.roles import Role
from tests.conftest import signed_in_client as _client

#: The clock fixture's day in the HMIS Lead's zone (America/Chicago): Monday, November 2, 2026.
TODAY = date(2026, 11, 2)


@pytest.fixture
def world(make_coc, make_agency, make_user):
    """CoC one: agency A (Rita its rep, Ed an end user), Mona its HMIS manager; CoC two: agency B (Otto its rep),
    Max its HMIS manager; a lead administrator, a second one, a system administrator, a helpdesk reviewer."""
    w = type("World", (), {})()
    w.coc, w.other_coc = make_coc(code="MO-500", name="Saint Louis CoC"), make_coc(code="MO-600", name="Other CoC")
    w.agency = make_agency(coc=w.coc, name="Harbor House")
    w.other = make_agency(coc=w.other_coc, name="Bridge Shelter")
    w.rep = make_user("rep@example.org", roles=[Role.AGENCY_REP], agency=w.agency, full_name="Rita Rep")
    w.other_rep = make_user("otto@example.org", roles=[Role.AGENCY_REP], agency=w.other, full_name="Otto Rep")
    w.ed = make_user("ed@example.org", roles=[Role.END_USER], agency=w.agency, full_name="Ed Enduser")
    w.eve = make_user("eve@example.org", roles=[Role.END_USER], agency=w.agency, full_name="Eve Enduser")
    w.bo = make_user("bo@example.org", roles=[Role.END_USER], agency=w.other, full_name="Bo Other")
    w.manager = make_user("manager@example.org", roles=[Role.HMIS_MANAGER], coc=w.coc, full_name="Mona Manager")
    w.other_manager = make_user("max@example.org", roles=[Role.HMIS_MANAGER], coc=w.other_coc, full_name="Max Manager")
    w.lead = make_user("lead@example.org", roles=[Role.LEAD_ADMIN], full_name="Lee Lead")
    w.lead2 = make_user("lead2@example.org", roles=[Role.LEAD_ADMIN], full_name="Lou Lead")
    w.sysadmin = make_user("sys@example.org", roles=[Role.SYSADMIN], full_name="Sy Admin")
    w.helpdesk = make_user("help@example.org", roles=[Role.HELPDESK])
    return w


def _text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def _follow(client, resp) -> str:
    assert resp.status_code == 303, _text(resp)[:3000]
    return _text(client.get(resp.headers["Location"]))


def _violation_form(world, person=None, agency=None, **over):
    data = {"email": (person or world.ed).email, "agency_id": str((agency or world.agency).id),
            "occurred_on": (TODAY - timedelta(days=1)).isoformat(),
            "description": "Shared a password with a coworker."}
    data.update(over)
    return data


def _record(client, world, **over):
    return client.post("/violations/new", data=_violation_form(world, **over))


def _violations(db_session) -> list[Violation]:
    db_session.expire_all()
    return list(db_session.execute(sa.select(Violation).order_by(Violation.id)).scalars())


def _suspensions(db_session) -> list[Suspension]:
    db_session.expire_all()
    return list(db_session.execute(sa.select(Suspension).order_by(Suspension.id)).scalars())


def _actions(db_session) -> list[str]:
    return [a for (a,) in db_session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id))]


def _live_sessions(db_session, user) -> list[UserSession]:
    db_session.expire_all()
    return list(db_session.execute(sa.select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None))).scalars())


def _sign_in(app, login, user):
    """Try to sign in; return the response (303 on success)."""
    return login(app.test_client(), user, expect_ok=False)


def _recorded(app, login, world, db_session, **over) -> Violation:
    """Record a violation as the HMIS manager; return it."""
    resp = _record(_client(app, login, world.manager), world, **over)
    assert resp.status_code == 303, _text(resp)[:3000]
    return _violations(db_session)[-1]


def _review(app, login, world, v, outcome="confirm", note="Confirmed with the agency.", who=None):
    return _client(app, login, who or world.lead).post(f"/violations/{v.id}/review",
                                                      data={"outcome": outcome, "note": note})


def _confirmed(app, login, world, db_session, **over) -> Violation:
    v = _recorded(app, login, world, db_session, **over)
    assert _review(app, login, world, v).status_code == 303
    db_session.expire_all()
    return db_session.get(Violation, v.id)


def _remedy(client, v, text="Retrained the whole intake team."):
    return client.post(f"/violations/{v.id}/remedy", data={"remedy": text})


def _lift_job(app, clock) -> None:
    assert run_job(get_database(app), app.config, "sanctions.lift_due", now=clock.now) == SUCCEEDED
