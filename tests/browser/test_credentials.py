"""In headless Chromium: the issuance queue, issuing credentials, the one-time password; axe at 1280 and 390 px."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

from lms.core.roles import Role
from tests.browser.conftest import check_widths, sign_in
from tests.unit.credentials.conftest import fact_desk  # noqa: F401 - the stand-in fact providers

pytestmark = pytest.mark.browser

def _trainee(session, app, clock, desk, email, full_name, *, eligible):
    from lms.accounts import services as accounts
    from lms.training import rules as training_rules
    from lms.training import services as training

    user, _ = accounts.create_user(session, app.extensions["lms.passwords"], email=email, full_name=full_name,
                                   now=clock.now)
    accounts.grant_role(session, user, Role.END_USER, now=clock.now)
    training.start_plan(session, user, practice_groups=["emergency_shelter", "street_outreach"], now=clock.now)
    if eligible:
        desk.settle(user)
        fy = training_rules.fiscal_year_of(clock.now)
        for key in training_rules.new_user_requirements(["emergency_shelter", "street_outreach"]):
            training.record_evidence(session, user, key, fiscal_year=fy, achieved_at=clock.now, source="test",
                                     source_id=key)
    session.commit()
    return user


def test_admin_issues_credentials_from_the_queue(live_server, page, make_live_user, committed_app, committed_session,
                                                 clock, fact_desk, tmp_path):
    _trainee(committed_session, committed_app, clock, fact_desk,
             "ellie.eligible.with-a-rather-long-address@agency-with-a-long-name.example.org", "Ellie Eligible",
             eligible=True)
    _trainee(committed_session, committed_app, clock, fact_desk, "wendy@example.org", "Wendy Waiting",
             eligible=False)
    clock.advance(minutes=1)
    secret = pyotp.random_base32()
    make_live_user("admin@example.org", roles=[Role.SYSADMIN], full_name="Sam Sysadmin", totp_secret=secret)
    sign_in(page, live_server, "admin@example.org")
    page.get_by_label(re.compile("6-digit code")).fill(pyotp.TOTP(secret).at(clock.now))
    page.get_by_role("button", name=re.compile("Continue|Verify|Sign in", re.I)).click()
    problems = {}

    expect(page.get_by_test_id("credentials-to-issue")).to_contain_text("1 person is eligible")
    problems.update(check_widths(page, "home", tmp_path))
    nav = page.get_by_role("navigation", name="Primary navigation")
    nav.get_by_role("button", name="Admin").click()
    nav.get_by_role("link", name="Live credentials").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Live HMIS credentials")
    expect(page.get_by_test_id("eligible-count")).to_have_text("1 person is eligible.")
    problems.update(check_widths(page, "queue", tmp_path))

    page.get_by_label("Reason").select_option("practice")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("waiting-count")).to_have_text("1 of 1 person shown.")
    expect(page.get_by_text("Practice case: Street outreach: not yet approved by the helpdesk.")).to_be_visible()

    page.get_by_role("link", name="Issue credentials to Ellie Eligible").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Live credentials for Ellie Eligible")
    page.get_by_label("HMIS user name").fill("ellie eligible")
    page.get_by_role("button", name="Issue credentials").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("no spaces")
    problems.update(check_widths(page, "issue-refused", tmp_path))

    page.get_by_label("HMIS user name").fill("ellie.eligible")
    page.get_by_label("HMIS user name").press("Enter")
    expect(page.get_by_test_id("hmis-username")).to_have_text("ellie.eligible")
    password = page.get_by_test_id("temporary-password").inner_text()
    assert len(password) == 16
    problems.update(check_widths(page, "issued", tmp_path))

    page.get_by_role("link", name="Back to the issuance queue").click()
    expect(page.get_by_test_id("eligible-count")).to_have_text("0 people are eligible.")
    page.get_by_role("link", name="See the credentials already issued").click()
    expect(page.get_by_role("cell", name="ellie.eligible")).to_be_visible()
    problems.update(check_widths(page, "issued-list", tmp_path))
    assert password not in page.content()
    assert problems == {}


def test_representative_adds_projects_for_a_person(live_server, page, committed_app, committed_session, clock,
                                                   tmp_path):
    """From the access requests page: the people, a refused empty choice, then a new kind of project."""
    from lms.accounts import services as accounts
    from lms.orgs.models import Agency, Coc, Project
    from lms.training import services as training

    coc = Coc(code="MO-777", name="Browser CoC", created_at=clock.now)
    agency = Agency(coc=coc, name="Harbor Light Community Services of the Greater Metropolitan Area",
                    created_at=clock.now)
    committed_session.add_all([coc, agency, *(
        Project(agency=agency, project_type=t, name=n, created_at=clock.now) for t, n in (
            (0, "Harbor Light Emergency Shelter"), (4, "Night Outreach Team"),
            (10, "Scattered-Site Permanent Housing with Services and a Longer Name")))])
    committed_session.flush()
    hashing = committed_app.extensions["lms.passwords"]
    pat, _ = accounts.create_user(committed_session, hashing, email="pat@example.org", full_name="Pat Doe",
                                  now=clock.now)
    accounts.grant_role(committed_session, pat, Role.END_USER, agency=agency, now=clock.now)
    accounts.add_membership(committed_session, pat, agency, started_on=clock.now.date(), now=clock.now)
    training.start_plan(committed_session, pat, practice_groups=["emergency_shelter"], now=clock.now)
    secret = pyotp.random_base32()
    rep, _ = accounts.create_user(committed_session, hashing, email="rita@example.org", full_name="Rita Rep",
                                  password="Violet-Harbor-Lantern-77", now=clock.now)
    rep.must_change_password = False
    rep.totp_secret, rep.totp_enrolled_at = secret, clock.now
    accounts.grant_role(committed_session, rep, Role.AGENCY_REP, agency=agency, now=clock.now)
    accounts.add_membership(committed_session, rep, agency, started_on=clock.now.date(), now=clock.now)
    committed_session.commit()
    clock.advance(minutes=1)
    sign_in(page, live_server, "rita@example.org", "Violet-Harbor-Lantern-77")
    page.get_by_label(re.compile("6-digit code")).fill(pyotp.TOTP(secret).at(clock.now))
    page.get_by_role("button", name=re.compile("Continue|Verify|Sign in", re.I)).click()
    problems = {}

    page.goto(f"{live_server}/access/requests")
    page.get_by_role("link", name="Add projects for a person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add projects for a person")
    problems.update(check_widths(page, "project-people", tmp_path))
    page.get_by_role("link", name="Add projects for Pat Doe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add projects for Pat Doe")
    page.get_by_role("button", name="Add the projects").click()  # nothing chosen
    expect(page.get_by_test_id("error-summary")).to_contain_text("Choose at least one project.")
    problems.update(check_widths(page, "add-projects-refused", tmp_path))

    page.locator("label", has_text="Night Outreach Team").click()  # USWDS draws the box on the label
    page.get_by_role("button", name="Add the projects").click()
    expect(page.get_by_text(re.compile("A practice case for Street outreach was added to Pat Doe's training plan; "
                                       "live credentials for it wait until the helpdesk approves it."))).to_be_visible()
    problems.update(check_widths(page, "projects-added", tmp_path))
    assert problems == {}
