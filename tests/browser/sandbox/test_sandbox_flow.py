"""In headless Chromium: search, create a client, record consent, enter a shelter, record an update, exit."""

import re

import pytest
from playwright.sync_api import expect

from lms.core.roles import Role
from tests.browser.conftest import sign_in
from tests.conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


def _tick(page, label_text):
    """Click a USWDS checkbox or radio the way a person does: on its label (the input itself is styled away)."""
    page.locator("label", has_text=label_text).click()


def _select(page, label, option_text):
    page.get_by_label(label, exact=True).select_option(label=option_text)


def test_trainee_enters_a_shelter_stay_from_search_to_exit(live_server, page, make_live_user, clock):
    make_live_user("trainee@example.org", roles=[Role.END_USER], full_name="Terry Trainee")
    sign_in(page, live_server, "trainee@example.org")
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Sandbox HMIS").click()

    # Search first.
    page.get_by_label("Name").fill("Rosa Mendez")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("0 clients found.")
    page.get_by_role("link", name="Not found: create a new client").click()

    # The client's profile (first and last name come from the search).
    expect(page.get_by_label("First name")).to_have_value("Rosa")
    _select(page, "3.01 Name data quality", "Full name reported")
    page.get_by_label("3.02 Social Security number").fill("xxxxx5555")
    _select(page, "3.02 SSN data quality", "Approximate or partial SSN reported")
    page.get_by_label("3.03 Date of birth").fill("1979-08-09")
    _select(page, "3.03 DOB data quality", "Full DOB reported")
    _select(page, "4.21 Sex", "Female")
    _tick(page, "Hispanic/Latina/o")
    expect(page.get_by_label("Hispanic/Latina/o")).to_be_checked()
    _select(page, "3.07 Veteran status (adults)", "No")
    page.get_by_role("button", name="Save client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rosa Mendez")

    # Consent before any project data.
    _tick(page, "consents to share their information")
    _tick(page, "Signed release form")
    page.get_by_role("button", name="Record release").click()
    expect(page.get_by_test_id("roi-status")).to_contain_text("Consent on file")

    # Project start in the emergency shelter.
    page.get_by_role("link", name="Enter into a project").click()
    project = page.get_by_label("Project", exact=True)
    shelter = project.locator("option", has_text="Emergency Shelter - Entry Exit").first.get_attribute("value")
    project.select_option(value=shelter)
    page.get_by_label("3.10 Project start date").fill("2026-10-20")
    _select(page, "3.16 Enrollment CoC (head of household)", "MO-606 Missouri Balance of State CoC")
    _select(page, "3.08 Disabling condition", "No")
    _select(page, "3.917 Prior living situation: where did the client stay last night?",
            "Place not meant for habitation (e.g., a vehicle, an abandoned building, bus/train/subway station/airport or anywhere outside)")
    _select(page, "Length of stay in prior living situation", "One year or longer")
    page.get_by_label("Approximate date this episode of homelessness started").fill("2025-06-01")
    _select(page, "Times homeless in the past three years", "One time")
    _select(page, "Months homeless in the past three years", "More than 12 months")
    page.get_by_role("button", name="Save project start").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Project start assessment")

    def answer_assessment(total="0.00"):
        _select(page, "4.02 Income from any source", "No")
        _select(page, "4.03 Non-cash benefits from any source", "No")
        _select(page, "4.04 Covered by health insurance", "No")
        for label in ("4.05 Physical disability", "4.06 Developmental disability", "4.07 Chronic health condition",
                      "4.08 HIV/AIDS", "4.09 Mental health disorder", "4.10 Substance use disorder"):
            _select(page, label, "No")
        dv = page.get_by_label("4.11 Survivor of domestic violence", exact=True)
        if dv.count():
            dv.select_option(label="No")
        page.get_by_role("button", name="Save assessment").click()

    answer_assessment()
    expect(page.get_by_test_id("stage-1")).to_contain_text("yes")

    # An update.
    page.get_by_role("link", name=re.compile("Record update")).click()
    page.get_by_label("Information date").fill("2026-10-28")
    answer_assessment()
    expect(page.get_by_test_id("stage-2")).to_contain_text("yes, 2026-10-28")

    # Exit to a friend's place, permanently.
    page.get_by_role("link", name="Exit the client").click()
    page.get_by_label("3.11 Project exit date").fill("2026-11-01")
    _select(page, "3.12 Destination", "Staying or living with friends, permanent tenure")
    page.get_by_role("button", name="Save exit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Project exit assessment")
    answer_assessment()
    expect(page.get_by_test_id("exit-status")).to_contain_text("Exited 2026-11-01")


def test_sandbox_search_form_works_from_the_keyboard(live_server, page, make_live_user):
    make_live_user("kb@example.org", roles=[Role.END_USER], full_name="Kay Board")
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("E-mail address").fill("kb@example.org")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_test_id("whoami").wait_for()
    page.goto(f"{live_server}/sandbox/")
    page.get_by_label("Name").focus()
    page.keyboard.type("Nobody")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("0 clients found.")
    # Every form control on the page has a label.
    unlabeled = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map(el => el.name)""")
    assert unlabeled == []
