"""Walk every page in Chromium and check what a machine can: WCAG basics, axe-core, and no sideways scroll on a phone."""

import re
from collections import deque
from urllib.parse import urlsplit

import pyotp
import pytest
from playwright.sync_api import expect

from lms.core.roles import Role
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PAGES = ["/", "/admin/people", "/admin/people/new", "/admin/cocs", "/admin/cocs/new", "/admin/agencies",
         "/admin/agencies/new", "/admin/projects", "/admin/projects/new", "/admin/audit", "/admin/jobs",
         "/admin/settings", "/sandbox/", "/sandbox/?last_name=nobody", "/sandbox/clients/new", "/sandbox/quality",
         "/sandbox/reset", "/sandbox/admin/workspaces", "/sandbox/admin/imports", "/auth/password", "/no/such/page"]

CHECKS = """() => {
  const problems = [];
  if (!document.documentElement.lang) problems.push('html has no lang');
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) problems.push(h1 + ' h1 elements');
  if (!document.querySelector('main#main-content')) problems.push('no main landmark for the skip link');
  if (!document.title.trim()) problems.push('no title');
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      problems.push('unlabelled ' + el.tagName + ' ' + (el.name || el.id));
  }
  for (const el of document.querySelectorAll('button, a[href]')) {
    const name = (el.innerText || el.getAttribute('aria-label') || el.querySelector('img[alt]')?.alt || '').trim();
    if (!name) problems.push('nameless ' + el.tagName + ' ' + el.outerHTML.slice(0, 80));
  }
  for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) problems.push('img without alt');
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dup.length) problems.push('duplicate ids ' + dup.join(','));
  return problems;
}"""


def test_main_pages_pass_the_machine_checkable_wcag_basics(live_server, page, make_live_user, clock):
    secret = pyotp.random_base32()
    make_live_user("lead@example.org", roles=[Role.LEAD_ADMIN], full_name="Lee Lead", totp_secret=secret)
    sign_in(page, live_server, "lead@example.org")
    page.get_by_label(re.compile("6-digit code")).fill(pyotp.TOTP(secret).at(clock.now))
    page.get_by_role("button", name=re.compile("Continue|Verify|Sign in", re.I)).click()
    expect(page.get_by_test_id("whoami")).to_have_text("Lee Lead")
    failures = {}
    for path in PAGES:
        page.goto(f"{live_server}{path}")
        problems = page.evaluate(CHECKS)
        if problems:
            failures[path] = problems
    assert failures == {}


def test_focus_is_visible_on_buttons_and_links(live_server, page):
    page.goto(f"{live_server}/auth/login")
    page.get_by_role("button", name=re.compile("sign in", re.I)).focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")


def test_the_checks_do_find_problems(page):
    page.set_content("<html><head><title>t</title></head><body><input name='x'><img src='a.png'><button></button>"
                     "<h1>a</h1><h1>b</h1></body></html>")
    problems = page.evaluate(CHECKS)
    assert {"html has no lang", "2 h1 elements", "unlabelled INPUT x", "img without alt"} <= set(problems)
    assert any(p.startswith("nameless BUTTON") for p in problems)


# --- every page every demo role can reach, on a 390-px phone ------------------------------------

PHONE = {"width": 390, "height": 844}

#: Pages reached without a link from a list (or before signing in).
START_PAGES = ["/", "/auth/password", "/sandbox/", "/sandbox/?last_name=nobody"]

#: Links that are not pages to look at: downloads.
NOT_PAGES = re.compile(r"/export|\.csv$|/download")

OVERFLOW = """() => {
  const out = [];
  if (document.documentElement.scrollWidth > window.innerWidth)
    out.push('page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth);
  return out;
}"""


def _axe_problems(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"axe {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]]


def _page_problems(page):
    return page.evaluate(OVERFLOW) + page.evaluate(CHECKS) + _axe_problems(page)


def _shape(path):
    """Return a path with its ids replaced, so one page of each kind is enough (/admin/people/7 -> /admin/people/N)."""
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def _links(page, base):
    hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != base or NOT_PAGES.search(parts.path):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query and "page=" in parts.query else ""))
    return out


@pytest.fixture
def demo_world(committed_app, committed_session, clock):
    """Seed the demo world (every role, the manual's CoCs, agencies and projects) with known passwords."""
    from lms import demo
    from tests.conftest import DEFAULT_PASSWORD

    hashing = committed_app.extensions["lms.passwords"]
    with committed_app.app_context():  # the sandbox mirrors the demo projects through the app
        result = demo.seed(committed_session, hashing, now=clock.now)
    people = []
    for user in demo.demo_users(committed_session):
        user.password_hash = hashing.hash(DEFAULT_PASSWORD)
        user.must_change_password = False
        people.append((user.email, user.totp_secret))
    committed_session.commit()
    assert len(people) == len(result.people) == 6
    return people


def _sign_in_as(page, base, email, secret, clock):
    """Sign in; return the problems of the code page on the way (staff only)."""
    sign_in(page, base, email)
    problems = []
    if secret:
        code_box = page.get_by_label(re.compile("6-digit code"))
        code_box.wait_for()
        problems = _page_problems(page)
        code_box.fill(pyotp.TOTP(secret).at(clock.now))
        page.get_by_role("button", name=re.compile("Continue", re.I)).click()
    expect(page.get_by_test_id("whoami")).to_be_visible()
    return problems


def test_every_page_of_every_demo_role_fits_a_phone_and_passes_axe(live_server, browser, demo_world, clock):
    failures: dict[str, list[str]] = {}
    visited: list[str] = []
    # Before signing in: the sign-in and forgotten-password pages.
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    for path in ("/auth/login", "/auth/forgot"):
        page.goto(f"{live_server}{path}")
        visited.append(path)
        if problems := _page_problems(page):
            failures[f"anonymous {path}"] = problems
    context.close()

    for email, secret in demo_world:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(15000)
        if problems := _sign_in_as(page, live_server, email, secret, clock):
            failures[f"{email.split('@')[0]} /auth/mfa"] = problems
        seen: set[str] = set()
        queue = deque(START_PAGES)
        while queue:
            path = queue.popleft()
            if _shape(path) in seen:
                continue
            seen.add(_shape(path))
            response = page.goto(f"{live_server}{path}")
            assert response is not None and response.status < 500, (email, path)
            if response.status >= 400:
                continue
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue  # a file the page offers (a course transcript, captions), not a page
            visited.append(path)
            if problems := _page_problems(page):
                failures[f"{email.split('@')[0]} {path}"] = problems
            queue.extend(link for link in _links(page, live_server) if _shape(link) not in seen)
        context.close()

    # The walk did reach the lists and the records behind them.
    for expected in ("/admin/people", "/admin/people/N", "/admin/cocs/N/edit", "/admin/agencies/new",
                     "/admin/projects", "/admin/audit", "/admin/jobs", "/admin/settings", "/sandbox/clients/new",
                     "/practice/", "/practice/review/", "/practice/snippets"):
        assert expected in {_shape(v) for v in visited}, expected
    assert failures == {}


# --- focus and colour -----------------------------------------------------------------------------

def test_code_page_puts_focus_in_the_code_box(live_server, page, make_live_user):
    make_live_user("code@example.org", roles=[Role.SYSADMIN], totp_secret=pyotp.random_base32())
    sign_in(page, live_server, "code@example.org")
    expect(page.get_by_label(re.compile("6-digit code"))).to_be_focused()


def test_refused_form_moves_focus_to_the_error_summary_with_links_to_each_field(live_server, page, make_live_user,
                                                                                clock):
    secret = pyotp.random_base32()
    make_live_user("focus@example.org", roles=[Role.SYSADMIN], totp_secret=secret)
    sign_in(page, live_server, "focus@example.org")
    page.get_by_label(re.compile("6-digit code")).fill(pyotp.TOTP(secret).at(clock.now))
    page.get_by_role("button", name=re.compile("Continue", re.I)).click()
    page.goto(f"{live_server}/admin/cocs/new")
    page.get_by_label("HUD CoC code").fill("MO606")
    page.get_by_label("Name").fill("Wide Plains CoC")
    page.get_by_role("button", name="Save").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name=re.compile("two letters, a dash"))
    assert link.get_attribute("href") == "#code"
    link.click()
    expect(page.get_by_label("HUD CoC code")).to_be_focused()


def test_refused_settings_move_focus_to_the_error_summary(live_server, page, make_live_user, clock):
    secret = pyotp.random_base32()
    make_live_user("set@example.org", roles=[Role.SYSADMIN], totp_secret=secret)
    sign_in(page, live_server, "set@example.org")
    page.get_by_label(re.compile("6-digit code")).fill(pyotp.TOTP(secret).at(clock.now))
    page.get_by_role("button", name=re.compile("Continue", re.I)).click()
    page.goto(f"{live_server}/admin/settings")
    page.get_by_label("Idle timeout (minutes)").fill("１５")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_test_id("error-summary")).to_be_focused()
    expect(page.get_by_test_id("error-summary")).to_contain_text("digits 0 to 9")


def test_links_use_the_uswds_colours_not_the_browser_default(live_server, page):
    page.goto(f"{live_server}/auth/login")
    link = page.get_by_role("link", name="Forgot your password?")
    assert link.evaluate("a => getComputedStyle(a).color") == "rgb(0, 94, 162)"  # USWDS primary #005ea2
    page.goto(f"{live_server}/auth/forgot")
    page.goto(f"{live_server}/auth/login")
    # Visited: USWDS violet #54278f (Chromium reports the visited colour only to the page's painting, so
    # the check reads the rule that applies instead).
    visited = page.evaluate("""() => [...document.styleSheets].flatMap(s => { try { return [...s.cssRules]; }
      catch (e) { return []; } }).filter(r => r.selectorText && r.selectorText.includes('a:visited')
      && !r.selectorText.includes('.')).map(r => r.style.color)""")
    assert "rgb(84, 39, 143)" in visited
