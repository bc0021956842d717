"""``flask --app wsgi credentials issue EMAIL --username NAME`` and ``credentials queue``."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lms.auth.passwords import check_password
from lms.credentials.models import LiveCredential


def _count(db_session) -> int:
    return db_session.execute(sa.select(sa.func.count()).select_from(LiveCredential)).scalar_one()


def test_cli_issue_eligible_person_prints_password_once(runner, make_trainee, db_session):
    person = make_trainee()
    result = runner.invoke(args=["credentials", "issue", person.email.upper(), "--username", "pat.p"])
    assert result.exit_code == 0, result.output
    password = re.search(r"Temporary password .*: (\S+)$", result.output, re.M).group(1)
    assert check_password(password, username=person.email) == []
    credential = db_session.execute(sa.select(LiveCredential)).scalar_one()
    assert (credential.user_id, credential.username, credential.issued_by_id) == (person.id, "pat.p", None)


def test_cli_issue_ineligible_person_lists_every_reason(runner, make_trainee, db_session):
    person = make_trainee(eligible=False)
    result = runner.invoke(args=["credentials", "issue", person.email, "--username", "pat"])
    assert result.exit_code != 0
    assert f"Live credentials cannot be issued to {person.full_name} yet:" in result.output
    # No approved request; the agreement, three courses and the practice case.
    assert result.output.count("  - ") == 6 and "Practice case: Emergency shelter" in result.output
    assert _count(db_session) == 0


def test_cli_issue_twice_issues_once(runner, make_trainee, db_session):
    person = make_trainee()
    assert runner.invoke(args=["credentials", "issue", person.email, "--username", "pat"]).exit_code == 0
    again = runner.invoke(args=["credentials", "issue", person.email, "--username", "pat"])
    assert again.exit_code != 0 and "already issued" in again.output
    assert _count(db_session) == 1


def test_cli_issue_bad_username_is_refused(runner, make_trainee, db_session):
    result = runner.invoke(args=["credentials", "issue", make_trainee().email, "--username", "pat person"])
    assert result.exit_code != 0 and "no spaces" in result.output
    assert _count(db_session) == 0


def test_cli_issue_unknown_email_is_refused(runner):
    result = runner.invoke(args=["credentials", "issue", "nobody@example.org", "--username", "pat"])
    assert result.exit_code != 0 and "No one has the e-mail address nobody@example.org" in result.output


def test_cli_queue_lists_eligible_and_reasons(runner, make_trainee):
    ready, waiting = make_trainee(), make_trainee(eligible=False)
    result = runner.invoke(args=["credentials", "queue"])
    assert result.exit_code == 0, result.output
    assert "Eligible for live credentials: 1" in result.output and ready.email in result.output
    assert waiting.email in result.output and "Practice case: Emergency shelter" in result.output
