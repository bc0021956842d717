"""Who may review whose practice case (the rule behind the queue, the review actions and the workspace)."""

from types import SimpleNamespace

from lms.core.roles import Role
from practice_cases.services import access


def _person(pid, roles=(), managed=(), cocs=(), active=True):
    return SimpleNamespace(
        id=pid, is_active=active, roles=frozenset(roles),
        coc_ids_for=lambda role: set(managed) if role is Role.HMIS_MANAGER else set(),
        active_memberships=[SimpleNamespace(agency=SimpleNamespace(coc_id=c)) for c in cocs])


TRAINEE = _person(1, [Role.END_USER], cocs=[10])


def test_helpdesk_and_the_lead_review_everyone_but_themselves():
    for role in (Role.HELPDESK, Role.LEAD_ADMIN):
        assert access.may_review(_person(2, [role]), TRAINEE)
        assert not access.may_review(_person(1, [role, Role.END_USER], cocs=[10]), _person(1, cocs=[10]))


def test_an_hmis_manager_reviews_only_the_members_of_their_cocs_agencies():
    assert access.may_review(_person(2, [Role.HMIS_MANAGER], managed=[10]), TRAINEE)
    assert not access.may_review(_person(2, [Role.HMIS_MANAGER], managed=[11]), TRAINEE)


def test_other_roles_and_deactivated_reviewers_review_nobody():
    for role in (Role.END_USER, Role.AGENCY_REP, Role.SYSADMIN):
        assert not access.may_review(_person(2, [role]), TRAINEE)
    assert not access.may_review(_person(2, [Role.HELPDESK], active=False), TRAINEE)
