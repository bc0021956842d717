"""Service functions the people admin pages use: editing a person and searching people."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.accounts import services
from lms.core.audit import AuditEvent
from lms.core.errors import InvalidInput


def test_update_user_lowercases_email_and_audits_changed_fields(db_session, make_user, clock):
    user = make_user(email="pat@example.org", full_name="Pat")
    changed = services.update_user(db_session, user, email=" Pat.New@Example.org ", full_name="Pat",
                                   now=clock.now)
    assert changed == ["email"] and user.email == "pat.new@example.org"
    ev = db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "accounts.user_updated")).scalar_one()
    assert ev.details == {"fields": "email"}


def test_update_user_nothing_changed_writes_no_audit(db_session, make_user, clock):
    user = make_user(email="same@example.org", full_name="Same")
    assert services.update_user(db_session, user, email="same@example.org", full_name="Same", now=clock.now) == []
    assert db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "accounts.user_updated")).first() is None


@pytest.mark.parametrize("email,name", [("not-an-email", "Name"), ("x@example.org", "  "), ("x@example.org", "n" * 201)])
def test_update_user_bad_input_refused(db_session, make_user, clock, email, name):
    user = make_user()
    with pytest.raises(InvalidInput):
        services.update_user(db_session, user, email=email, full_name=name, now=clock.now)


def test_user_query_matches_name_or_email_case_insensitively(db_session, make_user):
    make_user(full_name="Morgan Match", email="m1@example.org")
    make_user(full_name="Other", email="morgan.match@example.org")
    make_user(full_name="Nobody", email="n@example.org")
    found = {u.full_name for u in db_session.execute(services.user_query("MORGAN")).scalars()}
    assert found == {"Morgan Match", "Other"}
