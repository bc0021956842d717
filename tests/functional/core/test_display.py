"""Pages show dates one way (12/01/2026, 12/01/2026 4:05 PM CST) in the HMIS Lead's zone, and codes in words."""

import re
from datetime import date
from pathlib import Path

from lms.core.roles import Role

ROOT = Path(__file__).resolve().parents[3]


def test_lms_templates_format_dates_only_through_the_shared_filters():
    offenders = []
    for path in (ROOT / "lms").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"strftime\(", r"isoformat\(", r"\(UTC\)", r"\bUTC\b"):
            if re.search(pattern, text):
                offenders.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert offenders == []


def test_person_page_shows_membership_in_words_and_dates_in_us_form(app, make_user, make_agency, login, clock):
    agency = make_agency(name="Harbor House")
    admin = make_user(roles=[Role.SYSADMIN])
    person = make_user(full_name="Pia Person", roles=[Role.END_USER], agency=agency)
    person.last_login_at = clock.now
    client = app.test_client()
    login(client, admin)
    html = client.get(f"/admin/people/{person.id}").get_data(as_text=True)
    assert "<td>Paid employee</td>" in html and "<td>employee</td>" not in html
    assert "<td>11/02/2026</td>" in html and "2026-11-02" not in html


def test_agencies_list_shows_apa_dates_in_us_form(app, make_user, make_agency, login):
    make_agency(name="Harbor House", apa_signed_on=date(2026, 7, 4), apa_renewal_due=date(2027, 7, 4))
    client = app.test_client()
    login(client, make_user(roles=[Role.SYSADMIN]))
    html = client.get("/admin/agencies").get_data(as_text=True)
    assert "07/04/2026" in html and "07/04/2027" in html and "2026-07-04" not in html


def test_the_header_navigation_is_kept_per_roles_and_page_and_never_shows_another_roles_entries(app, make_user, login):
    """The navigation is rendered once per (entries, page, script root) and reused: an administrator's copy is
    never shown to a trainee on the same page, and each page marks itself as the current one."""
    admin, trainee = app.test_client(), app.test_client()
    login(admin, make_user(roles=[Role.LEAD_ADMIN]))
    login(trainee, make_user(roles=[Role.END_USER]))

    def nav(client, url):
        html = client.get(url).get_data(as_text=True)
        return html[html.index('<nav aria-label="Primary navigation"'):html.index("</nav>")]

    assert "Audit log" in nav(admin, "/training/")
    trainee_nav = nav(trainee, "/training/")
    assert "Audit log" not in trainee_nav and "/admin/" not in trainee_nav
    assert 'class="usa-nav-link usa-current" href="/training/" aria-current="page"' in trainee_nav
    home_nav = nav(trainee, "/")
    assert 'href="/" aria-current="page"' in home_nav and 'href="/training/" aria-current' not in home_nav
    # Kept: the same entries on the same page again add no rendering, and read the same.
    copies = app.extensions["lms.navigation"]
    kept = len(copies)
    assert nav(trainee, "/training/") == trainee_nav and len(copies) == kept
