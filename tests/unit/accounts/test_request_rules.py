"""The access request rules, table by table: APA, submission, who sees, who decides, who withdraws, invitations."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from lms.accounts.requests import rules
from lms.accounts.requests.rules import Viewer

TODAY = date(2026, 11, 2)
NOW = datetime(2026, 11, 2, 15, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("signed_on, renewal_due, refused, words", [
    (date(2026, 6, 1), date(2027, 6, 1), False, None),
    (date(2026, 6, 1), None, False, None),
    (date(2025, 6, 1), TODAY, False, None),                     # due today: still current
    (date(2025, 6, 1), TODAY - timedelta(days=1), True, "lapsed on November 1, 2026"),
    (None, None, True, "no signed Agency Partner Agreement"),
    (None, date(2027, 6, 1), True, "no signed Agency Partner Agreement"),
])
def test_apa_refusals_follow_signature_and_renewal(signed_on, renewal_due, refused, words):
    reasons = rules.apa_refusals(agency_name="Hope House", signed_on=signed_on, renewal_due=renewal_due, today=TODAY)
    assert bool(reasons) is refused
    if words:
        assert words in reasons[0] and "Hope House" in reasons[0]


GOOD = dict(agency_name="Hope House", agency_active=True, apa_signed_on=date(2026, 6, 1),
            apa_renewal_due=date(2027, 6, 1), today=TODAY, employment="employee", project_ids=[1],
            allowed_project_ids=[1, 2], justification="Case manager", open_request_exists=False)


@pytest.mark.parametrize("change, expected", [
    ({}, []),
    ({"employment": "volunteer"}, []),
    ({"employment": "intern"}, []),
    ({"employment": "contractor"}, ["paid employee, a supervised volunteer or an intern"]),
    ({"employment": ""}, ["paid employee, a supervised volunteer or an intern"]),
    ({"project_ids": []}, ["at least one project"]),
    ({"project_ids": [1, 3]}, ["only Hope House's active projects"]),
    ({"justification": "   "}, ["Say why"]),
    ({"justification": "x" * 1001}, ["1000 characters"]),
    ({"open_request_exists": True}, ["already has a request"]),
    ({"agency_active": False}, ["no longer an active partner agency"]),
    ({"apa_renewal_due": date(2026, 10, 1)}, ["lapsed"]),
    ({"employment": "boss", "project_ids": [], "open_request_exists": True},
     ["paid employee", "at least one project", "already has a request"]),
])
def test_submit_refusals_list_every_reason(change, expected):
    reasons = rules.submit_refusals(**{**GOOD, **change})
    assert len(reasons) == len(expected)
    for reason, words in zip(reasons, expected):
        assert words in reason


REP = Viewer(id=1, rep_agency_ids=frozenset({10}))
MANAGER = Viewer(id=2, managed_coc_ids=frozenset({100}))
OTHER_MANAGER = Viewer(id=3, managed_coc_ids=frozenset({200}))
LEAD = Viewer(id=4, is_lead_admin=True)
OTHER_REP = Viewer(id=5, rep_agency_ids=frozenset({20}))
NOBODY = Viewer(id=6)


@pytest.mark.parametrize("viewer, may_view, may_decide", [
    (REP, True, False), (MANAGER, True, True), (OTHER_MANAGER, False, False), (LEAD, True, True),
    (OTHER_REP, False, False), (NOBODY, False, False),
])
def test_view_and_decide_follow_agency_and_coc_scope(viewer, may_view, may_decide):
    assert rules.may_view(viewer, agency_id=10, coc_id=100) is may_view
    assert rules.may_decide(viewer, coc_id=100) is may_decide


@pytest.mark.parametrize("viewer, status, approve, reason, expected", [
    (MANAGER, "submitted", True, "", []),
    (MANAGER, "submitted", False, "Not staff", []),
    (MANAGER, "submitted", False, "  ", ["Say why the request is denied"]),
    (LEAD, "submitted", False, "x" * 1001, ["1000 characters"]),
    (MANAGER, "approved", True, "", ["no longer waiting"]),
    (MANAGER, "withdrawn", False, "x", ["no longer waiting"]),
    (OTHER_MANAGER, "submitted", True, "", ["Only an HMIS manager of the agency's CoC"]),
    (REP, "denied", False, "", ["Only an HMIS manager", "no longer waiting", "Say why"]),
])
def test_decision_refusals_list_every_reason(viewer, status, approve, reason, expected):
    reasons = rules.decision_refusals(viewer, coc_id=100, status=status, approve=approve, reason=reason)
    assert len(reasons) == len(expected)
    for got, words in zip(reasons, expected):
        assert words in got


@pytest.mark.parametrize("viewer, submitted_by, status, refused", [
    (REP, 1, "submitted", False),
    (REP, 1, "approved", True),
    (REP, 99, "submitted", True),            # another representative of the same agency
    (Viewer(id=1), 1, "submitted", True),    # the submitter no longer represents the agency
    (MANAGER, 2, "submitted", True),
])
def test_withdraw_only_by_its_submitter_while_waiting(viewer, submitted_by, status, refused):
    reasons = rules.withdraw_refusals(viewer, agency_id=10, submitted_by_id=submitted_by, status=status)
    assert bool(reasons) is refused


@pytest.mark.parametrize("expires_in, used, state", [
    (timedelta(days=1), False, rules.VALID),
    (timedelta(seconds=1), False, rules.VALID),
    (timedelta(0), False, rules.EXPIRED),
    (timedelta(days=-1), False, rules.EXPIRED),
    (timedelta(days=1), True, rules.USED),
    (timedelta(days=-1), True, rules.USED),
])
def test_invitation_state(expires_in, used, state):
    assert rules.invitation_state(expires_at=NOW + expires_in, used_at=NOW if used else None, now=NOW) == state


def test_invitation_expires_after_the_given_days():
    assert rules.invitation_expires_at(NOW, 7) == NOW + timedelta(days=7)


@pytest.mark.parametrize("had_before, former, repeat", [
    (False, False, False), (True, False, True), (False, True, True), (True, True, True),
])
def test_repeats_training_when_agency_says_so_or_account_is_a_former_users(had_before, former, repeat):
    assert rules.repeats_training(had_access_before=had_before, former_account=former) is repeat
