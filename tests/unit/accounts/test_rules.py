"""Who may grant which role, and who may act on whom (pure rules)."""

import pytest

from lms.accounts import rules
from lms.accounts.rules import Action
from lms.core.roles import ADMIN_ROLES, Role

EVERY_ROLE = frozenset(Role)


def test_grantable_roles_lead_grants_all_sysadmin_all_but_admin_others_none():
    assert rules.grantable_roles({Role.LEAD_ADMIN}) == EVERY_ROLE
    assert rules.grantable_roles({Role.SYSADMIN}) == EVERY_ROLE - ADMIN_ROLES
    assert rules.grantable_roles({Role.SYSADMIN, Role.HELPDESK}) == EVERY_ROLE - ADMIN_ROLES
    for role in EVERY_ROLE - ADMIN_ROLES:
        assert rules.grantable_roles({role}) == frozenset()


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
@pytest.mark.parametrize("target", [Role.SYSADMIN, Role.LEAD_ADMIN], ids=lambda r: r.value)
def test_refusals_sysadmin_acting_on_an_administrator_is_refused(action, target):
    reasons = rules.refusals(action, actor_roles={Role.SYSADMIN}, target_roles={Role.END_USER, target},
                             on_self=False, role=Role.END_USER)
    assert reasons and target.label in reasons[0] and "you cannot grant" in reasons[0]


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_refusals_lead_acting_on_another_lead_is_allowed(action):
    assert rules.refusals(action, actor_roles={Role.LEAD_ADMIN}, target_roles={Role.LEAD_ADMIN}, on_self=False,
                          role=Role.SYSADMIN) == []


def test_refusals_on_self_skip_the_role_rule_but_keep_the_self_rules():
    mine = {Role.SYSADMIN}
    assert rules.refusals(Action.EDIT, actor_roles=mine, target_roles=mine, on_self=True) == []
    assert rules.refusals(Action.DEACTIVATE, actor_roles=mine, target_roles=mine, on_self=True) == [
        "You cannot deactivate your own account."]
    assert "recovery code" in rules.refusals(Action.RESET_TOTP, actor_roles=mine, target_roles=mine, on_self=True)[0]
    assert rules.refusals(Action.REVOKE, actor_roles={Role.LEAD_ADMIN}, target_roles={Role.LEAD_ADMIN},
                          on_self=True, role=Role.LEAD_ADMIN) == ["You cannot withdraw your own administrator role."]
    # Nor may a system administrator promote themselves.
    assert rules.refusals(Action.GRANT, actor_roles=mine, target_roles=mine, on_self=True, role=Role.LEAD_ADMIN)


def test_refusals_return_every_reason():
    reasons = rules.refusals(Action.GRANT, actor_roles={Role.SYSADMIN}, target_roles={Role.LEAD_ADMIN},
                             on_self=False, role=Role.SYSADMIN)
    assert len(reasons) == 2 and "lead administrator" in reasons[1]


def test_refusals_non_administrator_may_manage_nobody():
    for role in EVERY_ROLE - ADMIN_ROLES:
        assert rules.refusals(Action.EDIT, actor_roles={role}, target_roles=set(), on_self=False)


def test_refusals_role_action_without_a_role_is_a_programming_error():
    with pytest.raises(ValueError):
        rules.refusals(Action.GRANT, actor_roles={Role.LEAD_ADMIN}, target_roles=set(), on_self=False)


def test_allowed_actions_hide_what_the_actor_may_not_do():
    assert rules.allowed_actions({Role.SYSADMIN}, {Role.LEAD_ADMIN}, on_self=False) == frozenset()
    assert rules.allowed_actions({Role.SYSADMIN}, {Role.HELPDESK}, on_self=False) == frozenset(Action)
    own = rules.allowed_actions({Role.SYSADMIN}, {Role.SYSADMIN}, on_self=True)
    assert Action.DEACTIVATE not in own and Action.RESET_TOTP not in own and Action.EDIT in own
