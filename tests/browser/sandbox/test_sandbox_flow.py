"""In headless Chromium: search, create a client, record consent, enter a shelter, record an update, exit.

Every page the walk visits is checked with axe (no violations) at 1280 px, and at 390 px it must not scroll
sideways.
"""

import re

import pytest
from playwright.sync_api import expect

from lms.core.roles import Role
from tests.browser.conftest import sign_in
from tests.conftest import DEFAULT_PASSWORD
from tests.browser.sandbox.pages import PHONE, WIDE, check_page, option_value, select, tick

pytestmark = pytest.mark.browser

def test_trainee_enters_a_shelter_stay_from_search_to_exit(live_server, page, make_live_user, clock, axe):
    make_live_user("trainee@example.org", roles=[Role.END_USER], full_name="Terry Trainee")
    page.set_viewport_size(WIDE)
    sign_in(page, live_server, "trainee@example.org")
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Sandbox HMIS").click()
    expect(page.get_by_test_id("my-clients")).to_contain_text("You have no clients yet")
    check_page(page, axe)

    # An empty search says what to type instead of showing a blank page.
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("empty-search")).to_contain_text("Type a first or last name")
    check_page(page, axe)

    # Search first: by last name only.
    page.get_by_label("Last name").fill("Mendez")
    page.get_by_label("Date of birth").fill("1979-08-09")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("0 clients found.")
    check_page(page, axe)
    page.get_by_role("link", name="Not found: create a new client").click()

    # The client's profile: each searched field lands in the same field.
    expect(page.get_by_label("Last name")).to_have_value("Mendez")
    expect(page.get_by_label("First name")).to_have_value("")
    expect(page.get_by_label("3.03 Date of birth")).to_have_value("1979-08-09")
    check_page(page, axe)
    page.get_by_label("First name").fill("Rosa")
    select(page, "3.01 Name data quality", "Full name reported")
    page.get_by_label("3.02 Social Security number").fill("xxxxx5555")
    select(page, "3.02 SSN data quality", "Approximate or partial SSN reported")
    select(page, "3.03 DOB data quality", "Full DOB reported")
    select(page, "4.21 Sex", "Female")
    tick(page, "Hispanic/Latina/o")
    expect(page.get_by_label("Hispanic/Latina/o")).to_be_checked()
    select(page, "3.07 Veteran status (adults)", "No")
    page.get_by_role("button", name="Save client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rosa Mendez")

    # Without a release, the next step is the release, not a project entry that would fail at save.
    expect(page.get_by_test_id("next-step")).to_contain_text("Next step: record the release of information")
    expect(page.get_by_role("link", name="Enter into a project")).to_have_count(0)
    expect(page.get_by_test_id("client-summary")).to_contain_text("08/09/1979")
    check_page(page, axe)
    # The summary reads as term beside value on a wide screen, term above value on a phone.
    term, value = page.get_by_test_id("client-summary").locator("dt").first, page.locator(".sandbox-facts dd").first
    assert value.bounding_box()["x"] > term.bounding_box()["x"] + 100
    page.set_viewport_size(PHONE)
    assert value.bounding_box()["y"] >= term.bounding_box()["y"] + term.bounding_box()["height"] - 1
    page.set_viewport_size(WIDE)

    # Consent before any project data.
    page.get_by_role("link", name="Record the client's decision").click()
    tick(page, "consents to share their information")
    tick(page, "Signed release form")
    page.get_by_role("button", name="Record release").click()
    expect(page.get_by_test_id("roi-status")).to_contain_text("Consent on file")
    expect(page.get_by_test_id("roi-status")).to_contain_text(re.compile(r"signed \d\d/\d\d/\d{4}"))
    expect(page.get_by_test_id("next-step")).to_have_count(0)

    # Project start: the questions and the CoC follow the project as it is chosen, without a reload.
    page.get_by_role("link", name="Enter into a project").click()
    expect(page.get_by_role("button", name=re.compile("Continue"))).to_have_count(0)  # the script shows them live
    expect(page.get_by_test_id("choose-project-hint")).to_be_visible()
    los = page.get_by_label("Did the stay last less than 7 nights (90 days if institutional)? (3.917B)")
    move_in = page.get_by_label("3.20 Housing move-in date (permanent housing, head of household)")
    coc = page.get_by_label("3.16 Enrollment CoC (head of household)")
    expect(los).to_be_hidden()
    check_page(page, axe)
    project = page.get_by_label("Project", exact=True)
    project.select_option(value=option_value(page, "Project", "PH - Rapid Re-Housing"))
    expect(los).to_be_visible()
    expect(move_in).to_be_visible()
    expect(coc).to_have_value("MO-606")
    project.select_option(value=option_value(page, "Project", "Transitional Housing"))
    expect(move_in).to_be_hidden()
    expect(coc).to_have_value("MO-602")
    project.select_option(value=option_value(page, "Project", "Emergency Shelter - Entry Exit"))
    expect(los).to_be_hidden()
    expect(coc).to_have_value("MO-606")
    expect(page.get_by_test_id("choose-project-hint")).to_be_hidden()
    check_page(page, axe)
    page.get_by_label("3.10 Project start date").fill("2026-10-20")
    select(page, "3.08 Disabling condition", "No")
    rental = page.get_by_label("Rental subsidy type (only for a rental with an ongoing subsidy)")
    expect(rental).to_be_hidden()
    select(page, "3.917 Prior living situation: where did the client stay last night?",
            "Place not meant for habitation (e.g., a vehicle, an abandoned building, bus/train/subway station/airport or anywhere outside)")
    select(page, "Length of stay in prior living situation", "One year or longer")
    page.get_by_label("Approximate date this episode of homelessness started").fill("2025-06-01")
    select(page, "Times homeless in the past three years", "One time")
    select(page, "Months homeless in the past three years", "More than 12 months")
    page.get_by_role("button", name="Save project start").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Project start assessment")

    # The assessment: one fieldset per HUD data element; an amount appears only when its source is Yes.
    expect(page.get_by_role("group", name="4.02 Income and Sources")).to_be_visible()
    expect(page.get_by_role("group", name="4.11 Domestic Violence")).to_be_visible()
    earned_amount = page.get_by_label("Earned income (employment): monthly amount")
    expect(earned_amount).to_be_hidden()
    select(page, "Earned income (employment)", "Yes")
    expect(earned_amount).to_be_visible()
    check_page(page, axe)
    select(page, "Earned income (employment)", "No")
    expect(earned_amount).to_be_hidden()

    def answer_assessment():
        select(page, "4.02 Income from any source", "No")
        select(page, "4.03 Non-cash benefits from any source", "No")
        select(page, "4.04 Covered by health insurance", "No")
        for label in ("4.05 Physical disability", "4.06 Developmental disability", "4.07 Chronic health condition",
                      "4.08 HIV/AIDS", "4.09 Mental health disorder", "4.10 Substance use disorder"):
            select(page, label, "No")
        dv = page.get_by_label("4.11 Survivor of domestic violence", exact=True)
        if dv.count():
            dv.select_option(label="No")
        page.get_by_role("button", name="Save assessment").click()

    answer_assessment()
    expect(page.get_by_test_id("stage-1")).to_contain_text("yes, 10/20/2026")
    check_page(page, axe)

    # An update.
    page.get_by_role("link", name=re.compile("Record update")).click()
    page.get_by_label("Information date").fill("2026-10-28")
    answer_assessment()
    expect(page.get_by_test_id("stage-2")).to_contain_text("yes, 10/28/2026")

    # Exit to a friend's place, permanently.
    page.get_by_role("link", name="Exit the client").click()
    page.get_by_label("3.11 Project exit date").fill("2026-11-01")
    select(page, "3.12 Destination", "Staying or living with friends, permanent tenure")
    expect(page.get_by_label("If \"Other\": describe it")).to_be_hidden()
    check_page(page, axe)
    page.get_by_role("button", name="Save exit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Project exit assessment")
    answer_assessment()
    expect(page.get_by_test_id("exit-status")).to_contain_text("Exited 11/01/2026")

    # The client page, the data-quality page (rows named by client) and the client list at home.
    page.get_by_role("link", name="Rosa Mendez").click()
    expect(page.get_by_role("link", name="Enter into a project")).to_be_visible()
    check_page(page, axe)
    page.goto(f"{live_server}/sandbox/quality")
    expect(page.get_by_role("table")).to_be_visible()
    expect(page.get_by_role("link", name="Rosa Mendez").first).to_be_visible()
    expect(page.get_by_role("link", name="Open client")).to_have_count(0)
    check_page(page, axe)
    page.goto(f"{live_server}/sandbox/")
    expect(page.get_by_test_id("my-clients").get_by_role("link", name="Rosa Mendez")).to_be_visible()
    check_page(page, axe)


def test_sandbox_search_form_works_from_the_keyboard(live_server, page, make_live_user):
    make_live_user("kb@example.org", roles=[Role.END_USER], full_name="Kay Board")
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("E-mail address").fill("kb@example.org")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_test_id("whoami").wait_for()
    page.goto(f"{live_server}/sandbox/")
    page.get_by_label("Last name").focus()
    page.keyboard.type("Nobody")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("0 clients found.")
    # Every form control on the page has a label.
    unlabeled = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map(el => el.name)""")
    assert unlabeled == []


def test_project_start_without_javascript_continue_shows_the_projects_questions(live_server, browser,
                                                                                 trainee_with_a_client):
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, live_server, "ana.trainee@example.org")
        page.goto(f"{live_server}/sandbox/clients/{trainee_with_a_client}/enroll")
        los = page.get_by_label("Did the stay last less than 7 nights (90 days if institutional)? (3.917B)")
        move_in = page.get_by_label("3.20 Housing move-in date (permanent housing, head of household)")
        coc = page.get_by_label("3.16 Enrollment CoC (head of household)")
        expect(page.get_by_test_id("choose-project-hint")).to_be_visible()
        expect(los).to_be_hidden()
        project = page.get_by_label("Project", exact=True)
        project.select_option(value=option_value(page, "Project", "PH - Rapid Re-Housing"))
        expect(los).to_be_hidden()  # nothing changes before the server is asked
        page.get_by_role("button", name="Continue: show the questions for this project").click()
        expect(los).to_be_visible()
        expect(move_in).to_be_visible()
        expect(coc).to_have_value("MO-606")
        expect(page.get_by_test_id("choose-project-hint")).to_be_hidden()
        page.get_by_label("Project", exact=True).select_option(
            value=option_value(page, "Project", "Night-by-Night"))
        page.get_by_role("button", name="Continue: show the questions for this project").click()
        expect(los).to_be_hidden()
        expect(move_in).to_be_hidden()
        expect(coc).to_have_value("MO-600")
        page.get_by_label("Project", exact=True).select_option(
            value=option_value(page, "Project", "Emergency Shelter - Entry Exit"))
        page.get_by_role("button", name="Continue: show the questions for this project").click()
        expect(coc).to_have_value("MO-606")
        # The assessment without the script shows every amount.
        page.get_by_label("3.08 Disabling condition").select_option(label="No")
        page.get_by_label("3.917 Prior living situation: where did the client stay last night?").select_option(
            label="Place not meant for habitation (e.g., a vehicle, an abandoned building, bus/train/subway "
                  "station/airport or anywhere outside)")
        page.get_by_label("Length of stay in prior living situation").select_option(label="One year or longer")
        page.get_by_label("Approximate date this episode of homelessness started").fill("2025-06-01")
        page.get_by_label("Times homeless in the past three years").select_option(label="One time")
        page.get_by_label("Months homeless in the past three years").select_option(label="More than 12 months")
        page.get_by_role("button", name="Save project start").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Project start assessment")
        expect(page.get_by_label("Earned income (employment): monthly amount")).to_be_visible()
        expect(page.get_by_label("Other income source: specify")).to_be_visible()
    finally:
        context.close()


def test_assessment_follow_ups_work_by_keyboard_alone(live_server, page, trainee_with_a_client):
    page.set_viewport_size(WIDE)
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("E-mail address").focus()
    page.keyboard.type("ana.trainee@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_test_id("whoami").wait_for()
    page.goto(f"{live_server}/sandbox/clients/{trainee_with_a_client}/enroll")
    # Choose the project by typing on the focused drop-down; the CoC follows and Tab skips hidden questions.
    page.get_by_label("Project", exact=True).focus()
    page.keyboard.type("Harbor Light Emergency")
    expect(page.get_by_label("3.16 Enrollment CoC (head of household)")).to_have_value("MO-606")
    page.keyboard.press("Tab")
    expect(page.get_by_label("3.10 Project start date")).to_be_focused()
    page.get_by_label("Length of stay in prior living situation").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Approximate date this episode of homelessness started")).to_be_focused()
    for label, answer in (("3.08 Disabling condition", "No"),
                          ("3.917 Prior living situation: where did the client stay last night?", "Place not"),
                          ("Length of stay in prior living situation", "One year"),
                          ("Approximate date this episode of homelessness started", "06012025"),
                          ("Times homeless in the past three years", "One time"),
                          ("Months homeless in the past three years", "More than")):
        page.get_by_label(label).focus()
        page.keyboard.type(answer)
    page.get_by_role("button", name="Save project start").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Project start assessment")
    # A source answered Yes from the keyboard brings its amount, next in the Tab order.
    page.get_by_label("Earned income (employment)", exact=True).focus()
    page.keyboard.type("Yes")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Earned income (employment): monthly amount")).to_be_focused()
    page.keyboard.type("600.00")
    page.get_by_label("Unemployment insurance", exact=True).focus()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_label("Earned income (employment): monthly amount")).to_be_focused()
