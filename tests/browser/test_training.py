"""In headless Chromium: the checklist, signing the agreement by keyboard alone, the signed copy; axe on each page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lms.core.roles import Role
from tests.browser.conftest import check_widths, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def published(committed_app, committed_session, clock):
    from lms.training import services

    services.load_content(committed_session, now=clock.now)
    committed_session.commit()
    return services.current_upra(committed_session)


def test_trainee_signs_the_agreement_by_keyboard_and_the_checklist_updates(live_server, page, make_live_user,
                                                                          published, tmp_path):
    make_live_user("trainee@example.org", roles=[Role.END_USER], full_name="Casey Browser")
    sign_in(page, live_server, "trainee@example.org")
    problems = {}

    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="My training").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My training")
    expect(page.get_by_test_id("status-upra")).to_have_text("Not yet completed")
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "0")
    problems.update(check_widths(page, "checklist", tmp_path))

    page.get_by_role("link", name="Read and sign the agreement").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("User Policy and Responsibility Agreement")
    problems.update(check_widths(page, "upra", tmp_path))

    # Keyboard only: Tab to each policy, Space to check it, then type the name and press Enter.
    first = page.locator('input[name="policy"]').first
    first.focus()
    boxes = len(published.policies)
    for i in range(boxes):
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
    expect(page.locator('input[name="policy"]:checked')).to_have_count(boxes)
    expect(page.get_by_label("Your full name")).to_be_focused()
    page.keyboard.type("casey  BROWSER")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("My training")
    expect(page.get_by_role("status").first).to_contain_text("You signed the agreement")
    expect(page.get_by_test_id("status-upra")).to_have_text("Completed")
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "1")
    expect(page.get_by_text("1 of 3 requirements completed")).to_be_visible()
    problems.update(check_widths(page, "checklist-signed", tmp_path))

    page.get_by_role("link", name="View the signed agreement").click()
    expect(page.get_by_test_id("signed-name")).to_have_text("casey  BROWSER")
    problems.update(check_widths(page, "signed-copy", tmp_path))
    # Printed, the copy leaves out the site's header, navigation and buttons.
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print this agreement")).to_be_hidden()
    expect(page.locator("header.usa-header")).to_be_hidden()
    expect(page.get_by_test_id("signed-name")).to_be_visible()
    page.emulate_media(media="screen")

    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Home").click()
    expect(page.get_by_test_id("training-summary")).to_contain_text("1 of 3 requirements completed")
    problems.update(check_widths(page, "home", tmp_path))
    assert problems == {}


def test_refused_signature_shows_errors_that_pass_axe(live_server, page, make_live_user, published, tmp_path):
    make_live_user("trainee@example.org", roles=[Role.END_USER], full_name="Casey Browser")
    sign_in(page, live_server, "trainee@example.org")
    page.goto(f"{live_server}/training/upra")
    page.get_by_label("Your full name").fill("Somebody Else")
    page.get_by_role("button", name="Sign the agreement").click()
    expect(page.get_by_role("alert").first).to_contain_text("The agreement was not signed")
    expect(page.locator("#full_name-error")).to_contain_text("does not match the name on your account")
    assert check_widths(page, "upra-refused", tmp_path) == {}
    page.get_by_role("link", name=re.compile("policies are not checked")).click()
    expect(page.locator("#policies")).to_be_focused()


def test_staff_reads_a_trainees_record_and_signed_copy(live_server, page, make_live_user, published,
                                                       committed_session, clock, tmp_path):
    import pyotp

    from lms.training import services

    trainee = make_live_user("trainee@example.org", roles=[Role.END_USER], full_name="Casey Browser")
    services.sign_upra(committed_session, trainee, version_id=published.id,
                       checked=[str(p.id) for p in published.policies], typed_name="Casey Browser", now=clock.now)
    committed_session.commit()
    secret = pyotp.random_base32()
    make_live_user("lead@example.org", roles=[Role.LEAD_ADMIN], full_name="Lee Lead", totp_secret=secret)
    sign_in(page, live_server, "lead@example.org")
    page.get_by_label(re.compile("6-digit code")).fill(pyotp.TOTP(secret).at(clock.now))
    page.get_by_role("button", name=re.compile("Continue|Verify|Sign in", re.I)).click()
    problems = {}

    nav = page.get_by_role("navigation", name="Primary navigation")
    nav.get_by_role("button", name="Admin").click()  # staff pages share the Admin submenu
    nav.get_by_role("link", name="Training records").click()
    page.get_by_role("searchbox", name="Search by name or e-mail").fill("casey")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("1 person found.")
    problems.update(check_widths(page, "records", tmp_path))
    page.get_by_role("link", name="Open the training record of Casey Browser").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Training of Casey Browser")
    expect(page.get_by_test_id("status-upra")).to_have_text("Completed")
    problems.update(check_widths(page, "person", tmp_path))
    page.get_by_test_id("signatures").get_by_role("link").first.click()
    expect(page.get_by_test_id("signed-name")).to_have_text("Casey Browser")
    assert problems == {}


def test_rep_follows_their_peoples_training_from_home(live_server, page, make_live_user, published,
                                                      committed_session, clock, tmp_path):
    import pyotp

    from lms.accounts import services as accounts
    from lms.orgs.models import Agency, Coc
    from lms.training import services

    coc = Coc(code="MO-900", name="Browser CoC", created_at=clock.now)
    agency = Agency(coc=coc, name="Harbor House of the Greater Ozarks", created_at=clock.now)
    elsewhere = Agency(coc=coc, name="Elsewhere Agency", created_at=clock.now)
    committed_session.add_all([coc, agency, elsewhere])
    committed_session.flush()
    trainee = make_live_user("trainee@example.org", roles=[Role.END_USER], full_name="Casey Browser")
    services.sign_upra(committed_session, trainee, version_id=published.id,
                       checked=[str(p.id) for p in published.policies], typed_name="Casey Browser", now=clock.now)
    services.start_plan(committed_session, trainee, practice_groups=["emergency_shelter", "street_outreach"],
                        now=clock.now)
    accounts.add_membership(committed_session, trainee, agency, started_on=clock.now.date(), now=clock.now)
    for i in range(11):
        person = make_live_user(f"member{i}@example.org", roles=[Role.END_USER],
                                full_name=f"Member Number{i} With A Rather Long Family Name")
        accounts.add_membership(committed_session, person, agency, started_on=clock.now.date(), now=clock.now)
    outsider = make_live_user("outsider@example.org", roles=[Role.END_USER], full_name="Olly Outsider")
    accounts.add_membership(committed_session, outsider, elsewhere, started_on=clock.now.date(), now=clock.now)
    secret = pyotp.random_base32()
    rep = make_live_user("rep@example.org", full_name="Rita Rep", totp_secret=secret)
    accounts.grant_role(committed_session, rep, Role.AGENCY_REP, agency=agency, now=clock.now)
    committed_session.commit()
    sign_in(page, live_server, "rep@example.org")
    page.get_by_label(re.compile("6-digit code")).fill(pyotp.TOTP(secret).at(clock.now))
    page.get_by_role("button", name=re.compile("Continue|Verify|Sign in", re.I)).click()
    problems = {}

    panel = page.get_by_test_id("home-training-people")
    expect(panel).to_contain_text("Casey Browser: 1 of 6 done")
    expect(panel).to_contain_text("Next: Security and Privacy Awareness training.")
    expect(panel.locator("li")).to_have_count(10)
    expect(panel).not_to_contain_text("Olly Outsider")
    expect(page.get_by_role("navigation", name="Primary navigation")
           .get_by_role("link", name="Training records")).to_have_count(0)
    problems.update(check_widths(page, "rep-home", tmp_path))

    panel.get_by_role("link", name="All 12 people's training records").click()
    expect(page.get_by_role("status")).to_have_text("12 people found.")
    expect(page.get_by_text("the current members of the agencies you represent")).to_be_visible()
    problems.update(check_widths(page, "rep-records", tmp_path))
    page.goto(live_server + "/")
    page.get_by_test_id("home-training-people").get_by_role("link", name="Casey Browser").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Training of Casey Browser")
    problems.update(check_widths(page, "rep-person", tmp_path))
    page.get_by_test_id("signatures").get_by_role("link").first.click()
    expect(page.get_by_test_id("signed-name")).to_have_text("Casey Browser")
    problems.update(check_widths(page, "rep-signed-copy", tmp_path))
    assert problems == {}
