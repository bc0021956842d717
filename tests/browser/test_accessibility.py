"""Walk the main pages in Chromium and check the WCAG basics a machine can: labels, names, headings, language."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from lms.core.roles import Role
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PAGES = ["/", "/admin/people", "/admin/people/new", "/admin/cocs", "/admin/cocs/new", "/admin/agencies",
         "/admin/agencies/new", "/admin/projects", "/admin/projects/new", "/admin/audit", "/admin/jobs",
         "/admin/settings", "/sandbox/", "/sandbox/?name=nobody", "/sandbox/clients/new", "/sandbox/quality",
         "/sandbox/reset", "/sandbox/admin/workspaces", "/auth/password", "/no/such/page"]

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
