"""In headless Chromium: the sandbox pages the walk does not reach (no consent yet, refusals, possible
duplicates, the administrators' lists) and a refused contact, each checked with axe at 1280 px and at 390 px."""

import re

import pytest
from playwright.sync_api import expect

from lms.core.roles import Role
from tests.browser.conftest import sign_in
from tests.browser.sandbox.pages import PHONE, WIDE, check_page, fill_client, shots, tick

pytestmark = pytest.mark.browser


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
    fill_client(page, dob="1985-05-05")
    page.get_by_role("button", name="Save client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lee {long_name}")
    client_url = page.url
    page.goto(client_url + "/enroll")  # no release yet: the page explains instead of a form
    expect(page.get_by_role("heading", name="Record the release of information first")).to_be_visible()
    check_page(page, axe)
    page.goto(client_url)
    tick(page, "consents to share their information")
    tick(page, "Signed release form")
    page.get_by_label("Date signed or given").fill("2099-01-01")
    page.get_by_role("button", name="Record release").click()  # the page again, why beside the date, nothing kept
    expect(page.get_by_text("the release cannot be signed in the future")).to_be_visible()
    expect(page.get_by_label("Date signed or given")).to_have_value("2099-01-01")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lee {long_name}")
    check_page(page, axe)
    shots(page, "roi-refused")
    page.get_by_label("Date signed or given").fill(clock.now.date().isoformat())
    tick(page, "refuses to share their information")
    tick(page, "Verbal consent, witnessed")
    page.get_by_role("button", name="Record release").click()
    expect(page.get_by_test_id("next-step")).to_contain_text("No project entry without consent")
    check_page(page, axe)
    page.goto(f"{live_server}/sandbox/clients/new?first=Lee&last={long_name}&dob=1985-05-05")
    fill_client(page)
    page.get_by_role("button", name="Save client").click()
    expect(page.get_by_role("heading", name="Possible duplicates")).to_be_visible()
    check_page(page, axe)
    page.goto(f"{live_server}/sandbox/admin/workspaces")
    expect(page.get_by_role("table")).to_contain_text("user:")
    check_page(page, axe)
    page.get_by_placeholder("Type RESET").first.fill("reset")
    page.get_by_role("button", name=re.compile("Empty")).first.click()
    expect(page.get_by_test_id("reset-refused")).to_have_text("Not emptied: type RESET in the box to confirm.")
    check_page(page, axe)
    shots(page, "workspace-reset-refused")
    run_id = _an_import_with_long_findings(committed_app, clock)
    page.goto(f"{live_server}/sandbox/admin/imports")
    page.get_by_role("link", name=re.compile(f"no. {run_id}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Import {run_id}: imported")
    check_page(page, axe)
    page.goto(f"{live_server}/sandbox/")
    expect(page.get_by_test_id("my-clients")).to_contain_text(long_name)
    check_page(page, axe)
    page.goto(f"{live_server}/sandbox/quality")
    check_page(page, axe)


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
    check_page(page, axe)
    for name, size in (("wide", WIDE), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(tmp_path / f"contact-refused-{name}.png"), full_page=True)
    page.set_viewport_size(WIDE)
    page.get_by_label("Date of contact").fill(clock.now.date().isoformat())
    page.get_by_label("4.12 Current living situation").select_option(value="116")
    page.get_by_role("button", name="Record contact").click()
    expect(page.get_by_text("Recorded the contact.")).to_be_visible()
