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

pytestmark = pytest.mark.browser

WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _check_page(page, axe):
    """No axe violations at 1280 px, and at 390 px nothing makes the page scroll sideways.

    The signed-in bar above the header (base.html, outside any landmark: axe's best-practice "region") is
    the shared layout's, not the sandbox's, so it is left out here.
    """
    results = axe.run(page, context={"exclude": [[".lms-userbar"]]})
    found = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert results.violations_count == 0, (page.url, found)
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.set_viewport_size(WIDE)
    assert overflow <= 0, (page.url, f"{overflow}px wider than a 390 px screen")


def _shots(page, name):
    """Full-page screenshots at both widths, for a person to look at (LMS_SCREENSHOTS names the folder)."""
    import os

    folder = os.environ.get("LMS_SCREENSHOTS")
    if folder:
        for label, size in (("wide", WIDE), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.screenshot(path=f"{folder}/{name}-{label}.png", full_page=True)
        page.set_viewport_size(WIDE)


def _tick(page, label_text):
    """Click a USWDS checkbox or radio the way a person does: on its label (the input itself is styled away)."""
    page.locator("label", has_text=label_text).click()


def _select(page, label, option_text):
    page.get_by_label(label, exact=True).select_option(label=option_text)


def _fill_client(page, dob=None):
    """Answer the profile questions HUD requires (names and date of birth come from the search)."""
    if dob:
        page.get_by_label("3.03 Date of birth").fill(dob)
    _select(page, "3.01 Name data quality", "Full name reported")
    _select(page, "3.02 SSN data quality", "Client doesn't know")
    _select(page, "3.03 DOB data quality", "Full DOB reported")
    _select(page, "4.21 Sex", "Male")
    _tick(page, "White")
    _select(page, "3.07 Veteran status (adults)", "No")


def _option_value(page, label, option_text):
    return page.get_by_label(label, exact=True).locator("option", has_text=option_text).first.get_attribute("value")


def test_trainee_enters_a_shelter_stay_from_search_to_exit(live_server, page, make_live_user, clock, axe):
    make_live_user("trainee@example.org", roles=[Role.END_USER], full_name="Terry Trainee")
    page.set_viewport_size(WIDE)
    sign_in(page, live_server, "trainee@example.org")
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Sandbox HMIS").click()
    expect(page.get_by_test_id("my-clients")).to_contain_text("You have no clients yet")
    _check_page(page, axe)

    # An empty search says what to type instead of showing a blank page.
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("empty-search")).to_contain_text("Type a first or last name")
    _check_page(page, axe)

    # Search first: by last name only.
    page.get_by_label("Last name").fill("Mendez")
    page.get_by_label("Date of birth").fill("1979-08-09")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("0 clients found.")
    _check_page(page, axe)
    page.get_by_role("link", name="Not found: create a new client").click()

    # The client's profile: each searched field lands in the same field.
    expect(page.get_by_label("Last name")).to_have_value("Mendez")
    expect(page.get_by_label("First name")).to_have_value("")
    expect(page.get_by_label("3.03 Date of birth")).to_have_value("1979-08-09")
    _check_page(page, axe)
    page.get_by_label("First name").fill("Rosa")
    _select(page, "3.01 Name data quality", "Full name reported")
    page.get_by_label("3.02 Social Security number").fill("xxxxx5555")
    _select(page, "3.02 SSN data quality", "Approximate or partial SSN reported")
    _select(page, "3.03 DOB data quality", "Full DOB reported")
    _select(page, "4.21 Sex", "Female")
    _tick(page, "Hispanic/Latina/o")
    expect(page.get_by_label("Hispanic/Latina/o")).to_be_checked()
    _select(page, "3.07 Veteran status (adults)", "No")
    page.get_by_role("button", name="Save client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rosa Mendez")

    # Without a release, the next step is the release, not a project entry that would fail at save.
    expect(page.get_by_test_id("next-step")).to_contain_text("Next step: record the release of information")
    expect(page.get_by_role("link", name="Enter into a project")).to_have_count(0)
    expect(page.get_by_test_id("client-summary")).to_contain_text("08/09/1979")
    _check_page(page, axe)
    # The summary reads as term beside value on a wide screen, term above value on a phone.
    term, value = page.get_by_test_id("client-summary").locator("dt").first, page.locator(".sandbox-facts dd").first
    assert value.bounding_box()["x"] > term.bounding_box()["x"] + 100
    page.set_viewport_size(PHONE)
    assert value.bounding_box()["y"] >= term.bounding_box()["y"] + term.bounding_box()["height"] - 1
    page.set_viewport_size(WIDE)

    # Consent before any project data.
    page.get_by_role("link", name="Record the client's decision").click()
    _tick(page, "consents to share their information")
    _tick(page, "Signed release form")
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
    _check_page(page, axe)
    project = page.get_by_label("Project", exact=True)
    project.select_option(value=_option_value(page, "Project", "PH - Rapid Re-Housing"))
    expect(los).to_be_visible()
    expect(move_in).to_be_visible()
    expect(coc).to_have_value("MO-606")
    project.select_option(value=_option_value(page, "Project", "Transitional Housing"))
    expect(move_in).to_be_hidden()
    expect(coc).to_have_value("MO-602")
    project.select_option(value=_option_value(page, "Project", "Emergency Shelter - Entry Exit"))
    expect(los).to_be_hidden()
    expect(coc).to_have_value("MO-606")
    expect(page.get_by_test_id("choose-project-hint")).to_be_hidden()
    _check_page(page, axe)
    page.get_by_label("3.10 Project start date").fill("2026-10-20")
    _select(page, "3.08 Disabling condition", "No")
    rental = page.get_by_label("Rental subsidy type (only for a rental with an ongoing subsidy)")
    expect(rental).to_be_hidden()
    _select(page, "3.917 Prior living situation: where did the client stay last night?",
            "Place not meant for habitation (e.g., a vehicle, an abandoned building, bus/train/subway station/airport or anywhere outside)")
    _select(page, "Length of stay in prior living situation", "One year or longer")
    page.get_by_label("Approximate date this episode of homelessness started").fill("2025-06-01")
    _select(page, "Times homeless in the past three years", "One time")
    _select(page, "Months homeless in the past three years", "More than 12 months")
    page.get_by_role("button", name="Save project start").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Project start assessment")

    # The assessment: one fieldset per HUD data element; an amount appears only when its source is Yes.
    expect(page.get_by_role("group", name="4.02 Income and Sources")).to_be_visible()
    expect(page.get_by_role("group", name="4.11 Domestic Violence")).to_be_visible()
    earned_amount = page.get_by_label("Earned income (employment): monthly amount")
    expect(earned_amount).to_be_hidden()
    _select(page, "Earned income (employment)", "Yes")
    expect(earned_amount).to_be_visible()
    _check_page(page, axe)
    _select(page, "Earned income (employment)", "No")
    expect(earned_amount).to_be_hidden()

    def answer_assessment():
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
    expect(page.get_by_test_id("stage-1")).to_contain_text("yes, 10/20/2026")
    _check_page(page, axe)

    # An update.
    page.get_by_role("link", name=re.compile("Record update")).click()
    page.get_by_label("Information date").fill("2026-10-28")
    answer_assessment()
    expect(page.get_by_test_id("stage-2")).to_contain_text("yes, 10/28/2026")

    # Exit to a friend's place, permanently.
    page.get_by_role("link", name="Exit the client").click()
    page.get_by_label("3.11 Project exit date").fill("2026-11-01")
    _select(page, "3.12 Destination", "Staying or living with friends, permanent tenure")
    expect(page.get_by_label("If \"Other\": describe it")).to_be_hidden()
    _check_page(page, axe)
    page.get_by_role("button", name="Save exit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Project exit assessment")
    answer_assessment()
    expect(page.get_by_test_id("exit-status")).to_contain_text("Exited 11/01/2026")

    # The client page, the data-quality page (rows named by client) and the client list at home.
    page.get_by_role("link", name="Rosa Mendez").click()
    expect(page.get_by_role("link", name="Enter into a project")).to_be_visible()
    _check_page(page, axe)
    page.goto(f"{live_server}/sandbox/quality")
    expect(page.get_by_role("table")).to_be_visible()
    expect(page.get_by_role("link", name="Rosa Mendez").first).to_be_visible()
    expect(page.get_by_role("link", name="Open client")).to_have_count(0)
    _check_page(page, axe)
    page.goto(f"{live_server}/sandbox/")
    expect(page.get_by_test_id("my-clients").get_by_role("link", name="Rosa Mendez")).to_be_visible()
    _check_page(page, axe)


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


@pytest.fixture
def trainee_with_a_client(committed_app, make_live_user, clock):
    """A signed-up trainee whose workspace holds Ana Diaz, with consent on file; returns her PersonalID."""
    from datetime import date

    from sandbox import services
    from sandbox.db import get_sandbox_database

    user = make_live_user("ana.trainee@example.org", roles=[Role.END_USER], full_name="Ana Trainee")
    with get_sandbox_database(committed_app).session() as sdb:
        ws = services.workspace_for_user(sdb, user.id, now=clock.now)
        client = services.save_client(sdb, ws, {"FirstName": "Ana", "LastName": "Diaz", "NameDataQuality": 1,
                                                "SSN": "xxxxx1234", "SSNDataQuality": 2, "DOB": date(1990, 2, 3),
                                                "DOBDataQuality": 1, "Sex": 0, "White": 1, "VeteranStatus": 0},
                                      now=clock.now)
        services.record_roi(sdb, ws, client, consented=True, signed_on=clock.now.date(), documentation="signed",
                            now=clock.now)
        sdb.commit()
        return client.PersonalID


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
        project.select_option(value=_option_value(page, "Project", "PH - Rapid Re-Housing"))
        expect(los).to_be_hidden()  # nothing changes before the server is asked
        page.get_by_role("button", name="Continue: show the questions for this project").click()
        expect(los).to_be_visible()
        expect(move_in).to_be_visible()
        expect(coc).to_have_value("MO-606")
        expect(page.get_by_test_id("choose-project-hint")).to_be_hidden()
        page.get_by_label("Project", exact=True).select_option(
            value=_option_value(page, "Project", "Night-by-Night"))
        page.get_by_role("button", name="Continue: show the questions for this project").click()
        expect(los).to_be_hidden()
        expect(move_in).to_be_hidden()
        expect(coc).to_have_value("MO-600")
        page.get_by_label("Project", exact=True).select_option(
            value=_option_value(page, "Project", "Emergency Shelter - Entry Exit"))
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


def _an_import_with_long_findings(app, clock) -> int:
    """An import's record as ``flask sandbox import`` leaves it, with a long path and value that must wrap."""
    from sandbox.csv.importer import WARN, record_run
    from sandbox.csv.importer.findings import Findings

    findings = Findings()
    findings.add(WARN, "Client.csv", 2, "AdditionalRaceEthnicity", "x" * 200, "was 200 characters long; cut to the "
                 "100 HUD allows")
    findings.add(WARN, "Enrollment.csv", 1, "VendorSpecificColumnWithAVeryLongName", "",
                 "column(s) HUD does not define were ignored: VendorSpecificColumnWithAVeryLongName")
    with app.extensions["sandbox.db"].session() as sdb:
        run = record_run(sdb, workspace_ref="scenario:browser", source="/srv/imports/" + "vendor-export-" * 8,
                         now=clock.now, findings=findings, rows=10, outcome="imported")
        sdb.commit()
        return run.id


def test_sandbox_side_pages_pass_axe_and_fit_a_phone(live_server, page, make_live_user, clock, axe, committed_app):
    """The pages the walk does not reach: no consent yet, a refusal, possible duplicates, the admin list.

    The client's long last name must wrap on a phone, not widen the page.
    """
    import pyotp

    secret = pyotp.random_base32()
    make_live_user("admin@example.org", roles=[Role.SYSADMIN], full_name="Sam Admin", totp_secret=secret)
    page.set_viewport_size(WIDE)
    sign_in(page, live_server, "admin@example.org")
    page.get_by_label(re.compile("6-digit code")).fill(pyotp.TOTP(secret).at(clock.now))
    page.get_by_role("button", name=re.compile("Continue|Verify|Sign in", re.I)).click()
    expect(page.get_by_test_id("whoami")).to_have_text("Sam Admin")
    long_name = "Wolfeschlegelsteinhausenbergerdorffvoralternwaren"
    page.goto(f"{live_server}/sandbox/?first_name=Lee&last_name={long_name}")
    page.get_by_role("link", name="Not found: create a new client").click()
    _fill_client(page, dob="1985-05-05")
    page.get_by_role("button", name="Save client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lee {long_name}")
    client_url = page.url
    page.goto(client_url + "/enroll")  # no release yet: the page explains instead of a form
    expect(page.get_by_role("heading", name="Record the release of information first")).to_be_visible()
    _check_page(page, axe)
    page.goto(client_url)
    _tick(page, "consents to share their information")
    _tick(page, "Signed release form")
    page.get_by_label("Date signed or given").fill("2099-01-01")
    page.get_by_role("button", name="Record release").click()  # the page again, why beside the date, nothing kept
    expect(page.get_by_text("the release cannot be signed in the future")).to_be_visible()
    expect(page.get_by_label("Date signed or given")).to_have_value("2099-01-01")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lee {long_name}")
    _check_page(page, axe)
    _shots(page, "roi-refused")
    page.get_by_label("Date signed or given").fill(clock.now.date().isoformat())
    _tick(page, "refuses to share their information")
    _tick(page, "Verbal consent, witnessed")
    page.get_by_role("button", name="Record release").click()
    expect(page.get_by_test_id("next-step")).to_contain_text("No project entry without consent")
    _check_page(page, axe)
    page.goto(f"{live_server}/sandbox/clients/new?first=Lee&last={long_name}&dob=1985-05-05")
    _fill_client(page)
    page.get_by_role("button", name="Save client").click()
    expect(page.get_by_role("heading", name="Possible duplicates")).to_be_visible()
    _check_page(page, axe)
    page.goto(f"{live_server}/sandbox/admin/workspaces")
    expect(page.get_by_role("table")).to_contain_text("user:")
    _check_page(page, axe)
    page.get_by_placeholder("Type RESET").first.fill("reset")
    page.get_by_role("button", name=re.compile("Empty")).first.click()
    expect(page.get_by_test_id("reset-refused")).to_have_text("Not emptied: type RESET in the box to confirm.")
    _check_page(page, axe)
    _shots(page, "workspace-reset-refused")
    run_id = _an_import_with_long_findings(committed_app, clock)
    page.goto(f"{live_server}/sandbox/admin/imports")
    page.get_by_role("link", name=re.compile(f"no. {run_id}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Import {run_id}: imported")
    _check_page(page, axe)
    page.goto(f"{live_server}/sandbox/")
    expect(page.get_by_test_id("my-clients")).to_contain_text(long_name)
    _check_page(page, axe)
    page.goto(f"{live_server}/sandbox/quality")
    _check_page(page, axe)


def test_a_contact_in_a_night_by_night_shelter_refused_then_recorded(live_server, page, trainee_with_a_client,
                                                                     committed_app, clock, axe, tmp_path):
    """4.12 is recorded where HUD collects it (here a night-by-night shelter); a refused contact shows each
    problem beside its field, and the page passes axe and fits a phone."""
    from sandbox import services
    from sandbox.db import get_sandbox_database

    with get_sandbox_database(committed_app).session() as sdb:
        ws = next(w for w, _ in services.list_workspaces(sdb))
        project = next(p for p in services.projects(sdb, ws.id) if p.ProjectType == 1)
        client = services.get_client(sdb, ws.id, trainee_with_a_client)
        stay = services.enroll(sdb, ws, client, project, {
            "EntryDate": clock.now.date(), "RelationshipToHoH": 1, "EnrollmentCoC": "MO-600", "DisablingCondition": 0,
            "LivingSituation": 116, "LengthOfStay": 4, "DateToStreetESSH": clock.now.date(),
            "TimesHomelessPastThreeYears": 1, "MonthsHomelessPastThreeYears": 101}, now=clock.now)
        sdb.commit()
        enrollment_id = stay.EnrollmentID
    page.set_viewport_size(WIDE)
    sign_in(page, live_server, "ana.trainee@example.org")
    page.goto(f"{live_server}/sandbox/enrollments/{enrollment_id}")
    expect(page.get_by_role("heading", name="4.12 Current living situation contacts")).to_be_visible()
    page.get_by_label("Date of contact").fill("2099-01-01")
    page.get_by_label("Location details").fill("Library steps")
    page.get_by_role("button", name="Record contact").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    expect(page.locator("#InformationDate-error")).to_contain_text("not in the future")
    expect(page.get_by_label("Location details")).to_have_value("Library steps")
    _check_page(page, axe)
    for name, size in (("wide", WIDE), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(tmp_path / f"contact-refused-{name}.png"), full_page=True)
    page.set_viewport_size(WIDE)
    page.get_by_label("Date of contact").fill(clock.now.date().isoformat())
    page.get_by_label("4.12 Current living situation").select_option(value="116")
    page.get_by_role("button", name="Record contact").click()
    expect(page.get_by_text("Recorded the contact.")).to_be_visible()
