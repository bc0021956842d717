"""The recertification compliance dashboard: who sees whom, one status per person, counts and percentages,
the chart and its table, CSV and XLSX exports, bad input, and a flat query count."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime, timedelta, timezone

import pytest

from lms.core import display
from lms.core.db import get_database
from lms.core.roles import Role
from lms.recert import services
from lms.training import services as training_services
from tests.conftest import signed_in_client as _client

URL = "/recertification/dashboard"


def _text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def _at(clock, *args) -> None:
    clock.now = datetime(*args, tzinfo=timezone.utc)


def _evidence(db_session, user, keys, when: datetime, tag: str, fiscal_year: int = 2028) -> None:
    for key in keys:
        training_services.record_evidence(db_session, user, key, fiscal_year=fiscal_year, achieved_at=when,
                                          source="test", source_id=f"{tag}-{key}")
    db_session.commit()


ALL = ("upra", "security_privacy", "data_standards")


def _row(page: str, testid: str) -> str:
    match = re.search(rf'<tr data-testid="{re.escape(testid)}">(.*?)</tr>', page, re.S)
    assert match, testid
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def _names(page: str) -> set[str]:
    """The names in the people table (each links to the person's history)."""
    table = page.split('data-testid="people"', 1)[1].split("</table>", 1)[0]
    return set(re.findall(r'/recertification">([^<]+)</a></th>', table))


@pytest.fixture
def world(app, clock, db_session, make_coc, make_agency, make_user):
    """Fiscal year 2028's cycle (opened October 1, 2027, due October 31) on October 20, 2027.

    CoC A: agencies A1 (certified, in progress, not started) and A2 (certified).  CoC B: agency B1 (not
    started, in new-user training) and a former A1 member now at B1 (not started).
    """
    w = type("World", (), {})()
    _at(clock, 2027, 10, 1, 14, 0)
    w.coc_a, w.coc_b = make_coc("MO-601", "Alpha CoC"), make_coc("MO-602", "Beta CoC")
    w.a1 = make_agency(w.coc_a, "Alder House")
    w.a2 = make_agency(w.coc_a, "Aspen Place")
    w.b1 = make_agency(w.coc_b, "Birch Center")
    end_user = [Role.END_USER]
    w.a1_cert = make_user("ann@example.org", roles=end_user, agency=w.a1, full_name="Ann Certified")
    w.a1_prog = make_user("bob@example.org", roles=end_user, agency=w.a1, full_name="Bob Progress")
    w.a1_none = make_user("cy@example.org", roles=end_user, agency=w.a1, full_name="Cy Notyet")
    w.a2_cert = make_user("dee@example.org", roles=end_user, agency=w.a2, full_name="Dee Done")
    w.b1_none = make_user("eve@example.org", roles=end_user, agency=w.b1, full_name="Eve Idle")
    w.b1_new = make_user("fay@example.org", roles=end_user, agency=w.b1, full_name="Fay Newcomer")
    w.former = make_user("gus@example.org", roles=end_user, agency=w.a1, full_name="Gus Former")
    [m] = w.former.active_memberships
    m.ended_on = date(2027, 9, 30)
    from lms.accounts import services as accounts

    accounts.add_membership(db_session, w.former, w.b1, started_on=date(2027, 10, 1), now=clock.now)
    db_session.commit()
    w.lead = make_user("lead@example.org", roles=[Role.LEAD_ADMIN])
    w.sysadmin = make_user("sys@example.org", roles=[Role.SYSADMIN])
    w.manager = make_user("mona@example.org", roles=[Role.HMIS_MANAGER], coc=w.coc_a)
    w.rep = make_user("rita@example.org", roles=[Role.AGENCY_REP], agency=w.a1)
    w.helpdesk = make_user("hal@example.org", roles=[Role.HELPDESK])
    w.cycle, _ = services.open_cycle(db_session, 2028, now=clock.now)
    training_services.start_plan(db_session, w.b1_new, practice_groups=[], now=datetime(2027, 10, 3, 15,
                                                                                        tzinfo=timezone.utc))
    db_session.commit()
    _evidence(db_session, w.a1_cert, ALL, datetime(2027, 10, 5, 15, 0, tzinfo=timezone.utc), "ann")
    _evidence(db_session, w.a2_cert, ALL, datetime(2027, 10, 12, 15, 0, tzinfo=timezone.utc), "dee")
    _evidence(db_session, w.a1_prog, ["upra"], datetime(2027, 10, 6, 15, 0, tzinfo=timezone.utc), "bob")
    _at(clock, 2027, 10, 20, 14, 0)
    return w


def test_dashboard_lead_sees_everyone_with_counts_and_percentages(app, login, world):
    page = _text(_client(app, login, world.lead).get(URL))
    assert "Recertification dashboard, fiscal year 2028" in page
    assert _names(page) == {"Ann Certified", "Bob Progress", "Cy Notyet", "Dee Done", "Eve Idle", "Fay Newcomer",
                            "Gus Former"}
    assert _row(page, "overall-certified") == "Certified 2 28.6%"
    assert _row(page, "overall-in_progress") == "In progress 1 14.3%"
    assert _row(page, "overall-not_started") == "Not started 3 42.9%"
    assert _row(page, "overall-overdue") == "Overdue 0 0.0%"
    assert _row(page, "overall-suspended") == "Suspended 0 0.0%"
    assert _row(page, "overall-exempt") == "In new-user training (exempt) 1 14.3%"
    # By CoC: A holds Ann, Bob, Cy, Dee; B holds Eve, Fay and Gus (a former member of A1).
    assert _row(page, f"by-coc-{world.coc_a.id}") == ("MO-601 Alpha CoC 4 2 (50.0%) 1 (25.0%) 1 (25.0%) 0 (0.0%) "
                                                      "0 (0.0%) 0 (0.0%)")
    assert _row(page, f"by-coc-{world.coc_b.id}") == ("MO-602 Beta CoC 3 0 (0.0%) 0 (0.0%) 2 (66.7%) 0 (0.0%) "
                                                      "0 (0.0%) 1 (33.3%)")
    assert _row(page, f"by-agency-{world.a1.id}") == ("Alder House 3 1 (33.3%) 1 (33.3%) 1 (33.3%) 0 (0.0%) "
                                                      "0 (0.0%) 0 (0.0%)")
    assert _row(page, f"by-agency-{world.a2.id}").startswith("Aspen Place 1 1 (100.0%)")
    # Each name links to the person's recertification history.
    assert f'href="/people/{world.a1_cert.id}/recertification"' in page
    assert "Exempt" not in _row(page, "overall-certified")


def test_dashboard_counts_people_without_an_agency_and_in_several(app, db_session, clock, login, make_user, world):
    from lms.accounts import services as accounts

    make_user("nomad@example.org", roles=[Role.END_USER], full_name="Nia Nomad")
    accounts.add_membership(db_session, world.a2_cert, world.b1, started_on=date(2027, 10, 2), now=clock.now)
    db_session.commit()
    page = _text(_client(app, login, world.lead).get(URL))
    assert "Nia Nomad" in _names(page)
    assert _row(page, "by-agency-none").startswith("No current agency 1 0 (0.0%) 0 (0.0%) 1 (100.0%)")
    assert _row(page, f"by-agency-{world.b1.id}").startswith("Birch Center 4 1 (25.0%)")  # Dee, now at B1 too
    assert _row(page, "overall-certified") == "Certified 2 25.0%"  # still counted once overall
    manager = _text(_client(app, login, world.manager).get(URL))
    assert "Nia Nomad" not in manager and 'data-testid="by-agency-none"' not in manager


def test_dashboard_shows_a_past_cycle_by_fiscal_year(app, clock, db_session, login, world):
    from lms.recert.models import RecertCycle

    db_session.add(RecertCycle(fiscal_year=2027, opened_at=clock.now, opened_on=date(2026, 10, 1),
                               due_on=date(2026, 10, 31), reminder_days="30", overdue_every_days=7, carry_over_days=0))
    db_session.commit()
    lead = _client(app, login, world.lead)
    page = _text(lead.get(f"{URL}?fy=2027"))
    assert "Recertification dashboard, fiscal year 2027" in page
    assert _row(page, "overall-overdue") == "Overdue 6 85.7%"  # no one has fiscal year 2027's evidence
    assert _row(page, "overall-exempt").startswith("In new-user training (exempt) 1")  # her plan began after 2027 began
    assert '<option value="2027" selected>' in page
    assert "Recertification dashboard, fiscal year 2028" in _text(lead.get(URL))  # the current year by default


def test_dashboard_sysadmin_sees_everyone(app, login, world):
    page = _text(_client(app, login, world.sysadmin).get(URL))
    assert len(_names(page)) == 7


def test_dashboard_manager_sees_only_the_people_of_their_cocs_agencies(app, login, world):
    page = _text(_client(app, login, world.manager).get(URL))
    assert _names(page) == {"Ann Certified", "Bob Progress", "Cy Notyet", "Dee Done"}
    assert _row(page, "overall-certified") == "Certified 2 50.0%"
    assert _row(page, "overall-not_started") == "Not started 1 25.0%"
    assert "Beta CoC" not in page and "Birch Center" not in page  # not even in the filters


def test_dashboard_rep_sees_only_their_agencys_current_members(app, login, world):
    page = _text(_client(app, login, world.rep).get(URL))
    assert _names(page) == {"Ann Certified", "Bob Progress", "Cy Notyet"}  # not Gus, who left
    assert _row(page, "overall-certified") == "Certified 1 33.3%"
    assert "Aspen Place" not in page and "Beta CoC" not in page


@pytest.mark.parametrize("who", ["a1_none", "helpdesk"])
def test_dashboard_and_exports_refused_to_end_users_and_helpdesk(app, login, world, who):
    client = _client(app, login, getattr(world, who))
    for url in (URL, URL + "/export.csv", URL + "/export.xlsx", f"{URL}?fy=2028"):
        assert client.get(url).status_code == 403, url


def test_dashboard_out_of_scope_filters_leak_nothing(app, login, world):
    manager = _client(app, login, world.manager)
    page = _text(manager.get(f"{URL}?coc={world.coc_b.id}"))
    assert "No CoC you can see has that number; that filter is ignored." in page
    assert "Eve Idle" not in page and "Birch Center" not in page
    page = _text(manager.get(f"{URL}?agency={world.b1.id}"))
    assert "No agency you can see has that number" in page and "Eve Idle" not in page
    rep = _client(app, login, world.rep)
    page = _text(rep.get(f"{URL}?agency={world.a2.id}"))
    assert "Dee Done" not in page and _names(page) == {"Ann Certified", "Bob Progress", "Cy Notyet"}
    for url in (f"{URL}/export.csv?agency={world.a2.id}", f"{URL}/export.xlsx?coc={world.coc_b.id}"):
        resp = rep.get(url)
        assert resp.status_code == 404 and b"Dee" not in resp.data, url


def test_dashboard_filters_by_status_coc_agency_and_search(app, login, world):
    lead = _client(app, login, world.lead)
    assert _names(_text(lead.get(f"{URL}?status=not_started"))) == {"Cy Notyet", "Eve Idle", "Gus Former"}
    page = _text(lead.get(f"{URL}?status=not_started&coc={world.coc_a.id}"))
    assert _names(page) == {"Cy Notyet"}
    assert _row(page, "overall-certified") == "Certified 2 50.0%"  # the counts ignore the status filter
    assert _names(_text(lead.get(f"{URL}?agency={world.a2.id}"))) == {"Dee Done"}
    page = _text(lead.get(URL))  # each CoC and agency of the breakdowns links to the list narrowed to it
    assert f'href="{URL}?fy=2028&coc={world.coc_a.id}">MO-601 Alpha CoC</a>' in page
    assert f'href="{URL}?fy=2028&agency={world.a2.id}">Aspen Place</a>' in page
    assert _names(_text(lead.get(f"{URL}?q=PROGRESS"))) == {"Bob Progress"}
    assert _names(_text(lead.get(f"{URL}?q=eve@example"))) == {"Eve Idle"}
    assert _names(_text(lead.get(f"{URL}?q=%25"))) == set()  # a LIKE wildcard is a plain character


def test_dashboard_overdue_and_suspended_after_the_due_date(app, clock, db_session, login, make_user, world):
    _at(clock, 2027, 11, 1, 14, 0)
    services.enforce(db_session, world.cycle, now=clock.now)
    db_session.commit()
    _at(clock, 2027, 11, 2, 14, 0)
    late = make_user("hank@example.org", roles=[Role.END_USER], agency=world.a1, full_name="Hank Late")
    # Cy completes after being suspended; until the lift runs, his access is still suspended.
    _evidence(db_session, world.a1_none, ALL, clock.now, "cy")
    page = _text(_client(app, login, world.rep).get(URL))
    assert _names(page) == {"Ann Certified", "Bob Progress", "Cy Notyet", "Hank Late"}
    assert _row(page, "overall-suspended") == "Suspended 2 50.0%"  # Bob and Cy
    assert _row(page, "overall-overdue") == "Overdue 1 25.0%"  # Hank: not yet enforced
    assert _row(page, "overall-certified") == "Certified 1 25.0%"
    assert late.full_name in _names(_text(_client(app, login, world.rep).get(f"{URL}?status=overdue")))


def test_dashboard_chart_is_an_accessible_svg_with_a_data_table(app, login, world):
    page = _text(_client(app, login, world.lead).get(URL))
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert '<title id="chart-title">Recertifications completed per day, fiscal year 2028</title>' in svg
    assert 'fill="url(#recert-hatch)"' in svg and "<pattern" in svg  # a pattern, not colour alone
    assert svg.count("<rect x=") == 2  # October 5 and October 12
    assert "Due 10/31" in svg and "stroke-dasharray" in svg
    table = page.split('data-testid="chart-data"', 1)[1].split("</details>", 1)[0]
    rows = re.findall(r'<th scope="row" data-label="Day">([^<]+)</th><td data-label="Completed that day">(\d+)</td>'
                      r'<td data-label="Completed so far">(\d+)</td>', table)
    assert len(rows) == 31  # October 1 to the due date
    assert rows[4] == ("10/05/2027", "1", "1") and rows[11] == ("10/12/2027", "1", "2")
    assert rows[19] == ("10/20/2027", "0", "2")  # today
    assert rows[-1] == ("10/31/2027 (due date) (still to come)", "0", "2")


def test_dashboard_exports_csv_and_xlsx_of_the_filtered_list(app, db_session, login, world):
    from openpyxl import load_workbook

    world.b1_none.full_name = '=HYPERLINK("http://evil.example","x")'
    world.former.full_name = "@SUM(1+1)"
    db_session.commit()
    lead = _client(app, login, world.lead)
    resp = lead.get(f"{URL}/export.csv?fy=2028&coc={world.coc_b.id}")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "attachment; filename=recertification-fy2028-" in resp.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True))))
    assert rows[0][:5] == ["Name", "E-mail", "Status", "CoC", "Agencies"]
    body = {r[1]: r for r in rows[1:]}
    assert set(body) == {"eve@example.org", "fay@example.org", "gus@example.org"}
    assert body["eve@example.org"][0] == "'" + '=HYPERLINK("http://evil.example","x")'
    assert body["gus@example.org"][0] == "'@SUM(1+1)"
    assert body["fay@example.org"][2] == "In new-user training (exempt)"
    assert body["gus@example.org"][3:5] == ["MO-602", "Birch Center"]  # his former agency is not listed

    resp = lead.get(f"{URL}/export.xlsx?status=certified")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(resp.data)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "Name" and {r[1] for r in values[1:]} == {"ann@example.org", "dee@example.org"}
    ann = next(r for r in values if r[1] == "ann@example.org")
    assert ann[2] == "Certified" and ann[3] == "MO-601" and ann[4] == "Alder House"
    assert ann[8] == datetime(2027, 10, 5, 10, 0)  # completed, Chicago time
    # A formula-looking name stays text in the workbook too.
    resp = lead.get(f"{URL}/export.xlsx?q=hyperlink")
    ws = load_workbook(io.BytesIO(resp.data)).active
    cell = ws.cell(row=2, column=1)
    assert cell.value == '=HYPERLINK("http://evil.example","x")' and cell.data_type == "s"


def test_dashboard_exports_keep_the_viewers_scope(app, login, world):
    rows = list(csv.reader(io.StringIO(_client(app, login, world.rep).get(f"{URL}/export.csv").get_data(
        as_text=True))))
    assert {r[1] for r in rows[1:]} == {"ann@example.org", "bob@example.org", "cy@example.org"}
    rows = list(csv.reader(io.StringIO(_client(app, login, world.manager).get(f"{URL}/export.csv").get_data(
        as_text=True))))
    assert {r[1] for r in rows[1:]} == {"ann@example.org", "bob@example.org", "cy@example.org", "dee@example.org"}


@pytest.mark.parametrize("query, code, message", [
    ("fy=2031", 404, "No recertification cycle was opened for fiscal year 2031."),
    ("fy=%00", 400, "control character"),  # refused for every page by lms.core.security
    ("fy=99999999999999999999999", 400, "four digits"),
    ("fy=%D9%A2%D9%A0%D9%A2%D9%A8", 400, "four digits"),  # 2028 in Arabic-Indic digits
    ("fy=-1", 400, "four digits"),
    ("status=bogus", 200, "The status asked for is not one of those listed; that filter is ignored."),
    ("status=%00", 400, "control character"),
    ("coc=abc", 200, "No CoC you can see has that number"),
    ("coc=99999999999999999999", 200, "No CoC you can see has that number"),
    ("agency=-3", 200, "No agency you can see has that number"),
    ("agency=%EF%BC%91", 200, "No agency you can see has that number"),  # a full-width 1
    ("page=-1", 200, "Ann Certified"),
    ("page=99999999", 200, "Ann Certified"),
    ("q=%00", 400, "control character"),
    ("q=" + "x" * 5000, 200, "0 people found"),
])
def test_dashboard_bad_input_is_a_clear_4xx_or_an_ignored_filter(app, login, world, query, code, message):
    resp = _client(app, login, world.lead).get(f"{URL}?{query}")
    assert resp.status_code == code, (query, resp.status_code)
    assert message in _text(resp), query


@pytest.mark.parametrize("query, code", [("fy=2031", 404), ("fy=%00", 400), ("status=bogus", 400),
                                         ("coc=x", 400), ("agency=999999", 404), ("fy=2028&page=-1", 200)])
def test_dashboard_export_bad_input_is_refused(app, login, world, query, code):
    resp = _client(app, login, world.lead).get(f"{URL}/export.csv?{query}")
    assert resp.status_code == code, (query, resp.status_code)


def test_dashboard_without_a_cycle_says_so(app, login, make_user):
    lead = make_user(roles=[Role.LEAD_ADMIN])
    client = _client(app, login, lead)
    resp = client.get(URL)
    assert resp.status_code == 200 and "No recertification cycle has been opened yet." in _text(resp)
    assert client.get(f"{URL}/export.csv").status_code == 404


def test_dashboard_linked_from_status_page_and_navigation(app, login, world):
    status = _text(_client(app, login, world.lead).get("/admin/recertification"))
    assert f'href="{URL}?fy=2028"' in status
    for who in (world.manager, world.rep, world.lead):
        assert f'href="{URL}"' in _text(_client(app, login, who).get("/")), who.email
    assert f'href="{URL}"' not in _text(_client(app, login, world.a1_none).get("/"))


@pytest.mark.parametrize("people", [5, 70])
def test_dashboard_query_count_stays_flat(app, clock, db_session, login, make_coc, make_agency, make_user, people,
                                          monkeypatch):
    """The page, its exports and the API's cycle status: the same statements for 5 people as for 70 (more
    than a page of 50), and only one page of people read for the page."""
    from bench.harness import count_queries
    from lms.api import services as api
    from lms.core import settings

    # The process's copy of the settings lasts CACHE_SECONDS of real time: hold it still, so a slow machine
    # does not read them again between the pages and count one statement more.
    frozen = settings._monotonic()
    monkeypatch.setattr(settings, "_monotonic", lambda: frozen)

    _at(clock, 2027, 10, 1, 14, 0)
    agencies = [make_agency(make_coc()) for _ in range(3)]
    for i in range(people):
        u = make_user(f"p{i}@example.org", roles=[Role.END_USER], agency=agencies[i % 3])
        if i % 2:
            _evidence(db_session, u, ALL if i % 4 == 1 else ["upra"], clock.now, f"p{i}")
    services.open_cycle(db_session, 2028, now=clock.now)
    lead = make_user(roles=[Role.LEAD_ADMIN])
    _, secret = api.create_token(db_session, name="Reports", scopes=["recert:read"], all_organisations=True,
                                 actor=lead, now=clock.now)
    db_session.commit()
    client = _client(app, login, lead)
    engine = get_database(app).engine
    counts = {}
    for url in (URL, f"{URL}?page=2&status=not_started", f"{URL}/export.csv", f"{URL}/export.xlsx",
                "/api/v1/recertification/2028", f"{URL}?page=2&status=not_started#again"):
        with count_queries(engine) as counter:
            resp = client.get(url, headers={"Authorization": f"Bearer {secret}"} if "/api/" in url else {})
        assert resp.status_code == 200, url
        counts[url] = counter.count
    assert counts == EXPECTED_STATEMENTS, (counts, counter.statements)
    from bench.harness import count_loaded
    from lms.accounts.models import User

    with count_loaded(User) as loaded:
        page = _text(client.get(URL))
    assert loaded[0] <= 1  # the signed-in lead: the people are counted in SQL, the page read as plain rows
    assert page.count('data-label="Status" data-status=') == min(people, 50)
    assert f"{people} people found" in page
    rows = list(csv.reader(io.StringIO(client.get(f"{URL}/export.csv").get_data(as_text=True))))
    assert len(rows) == people + 1  # every person, not one page


#: Session; user with roles; the data version; cycles; the agencies in scope; the counts by status (overall, by CoC, by agency) and
#: the completions per day (one statement of GROUP BYs); one page of people; their agencies.  The exports: the
#: counts and the chart aside, the agencies of everyone matching, then every one (read 500 at a time).  The API:
#: token, its last use, the cycle, the scope, the counts, the audit record.  Another page or status of the same
#: data version: the counts are kept (one statement fewer).  The same page asked again (the data unchanged):
#: session, user with roles, the data version.  The same whatever the number of people.
EXPECTED_STATEMENTS = {URL: 8, f"{URL}?page=2&status=not_started": 7, f"{URL}/export.csv": 6,
                       f"{URL}/export.xlsx": 6, "/api/v1/recertification/2028": 7,
                       f"{URL}?page=2&status=not_started#again": 3}
