"""The page frame: who is signed in, navigation per role, skip link, static assets, error pages."""

from __future__ import annotations

import re

from lms.accounts.roles import Role


def test_header_signed_in_shows_name_and_roles(client, make_user, make_coc, login):
    user = make_user(roles=[Role.HELPDESK, Role.HMIS_MANAGER], coc=make_coc(), full_name="Hana Helper")
    login(client, user)
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'data-testid="whoami">Hana Helper<', html)
    assert "(Helpdesk reviewer, HMIS manager)" in html
    assert 'href="#main-content"' in html and 'id="main-content"' in html


def test_navigation_admin_sees_admin_pages(client, make_user, login):
    login(client, make_user(roles=[Role.SYSADMIN]))
    html = client.get("/").get_data(as_text=True)
    for href in ("/admin/people", "/admin/cocs", "/admin/agencies", "/admin/projects", "/admin/audit"):
        assert f'href="{href}"' in html


def test_navigation_end_user_sees_no_admin_pages(client, make_user, login):
    login(client, make_user(roles=[Role.END_USER]))
    html = client.get("/").get_data(as_text=True)
    assert 'href="/admin/people"' not in html and 'href="/admin/cocs"' not in html


def test_navigation_manager_sees_agencies_not_people(client, make_user, make_coc, login):
    login(client, make_user(roles=[Role.HMIS_MANAGER], coc=make_coc()))
    html = client.get("/").get_data(as_text=True)
    assert 'href="/admin/agencies"' in html and 'href="/admin/people"' not in html


def test_error_page_403_in_site_look(client, make_user, login):
    login(client, make_user(roles=[Role.END_USER], full_name="Erin End"))
    resp = client.get("/admin/people")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 403
    assert "You can&#39;t open this page" in html and "usa-header" in html and "Erin End" in html


def test_error_page_404_anonymous_in_site_look(client):
    resp = client.get("/no/such/page")
    assert resp.status_code == 404
    html = resp.get_data(as_text=True)
    assert "Page not found" in html and "uswds/css/uswds.min.css" in html


def test_flash_message_shown_after_change(client, make_user, make_coc, login):
    login(client, make_user(roles=[Role.SYSADMIN]))
    coc = make_coc()
    resp = client.post(f"/admin/cocs/{coc.id}/active", data={"active": "0", "confirm": "yes"}, follow_redirects=True)
    assert "usa-alert--success" in resp.get_data(as_text=True)
    assert f"{coc} is now inactive." in resp.get_data(as_text=True)


def test_static_uswds_assets_served(client):
    for path in ("uswds/css/uswds.min.css", "uswds/js/uswds.min.js", "uswds/js/uswds-init.min.js",
                 "uswds/img/usa-icons/close.svg", "uswds/LICENSE.md"):
        resp = client.get(f"/static/{path}")
        assert resp.status_code == 200, path
        resp.close()


def test_uswds_css_urls_all_resolve(app):
    from pathlib import Path

    root = Path(app.static_folder) / "uswds" / "css"
    css = (root / "uswds.min.css").read_text()
    urls = {u for u in re.findall(r'url\(["\']?([^"\')]+)["\']?\)', css) if not u.startswith("data:")}
    assert urls
    missing = [u for u in urls if not (root / u.split("?")[0].split("#")[0]).resolve().exists()]
    assert missing == []


def test_error_pages_400_and_500_in_site_look(app):
    from lms.core.errors import InvalidInput
    from lms.core.web import public

    @public
    def _bad():
        raise InvalidInput("The date must look like 2026-11-02.")

    @public
    def _broken():
        raise RuntimeError("a bug with a secret detail")

    app.add_url_rule("/_test/bad", "_test_bad", _bad)
    app.add_url_rule("/_test/broken", "_test_broken", _broken)
    client = app.test_client()
    resp = client.get("/_test/bad")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "The date must look like 2026-11-02." in html and "usa-header" in html
    resp = client.get("/_test/broken")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 500 and "Something went wrong on our side" in html
    assert "usa-header" in html and "secret detail" not in html
