"""What the pages tell about violations: the letter to the person, the detail page, and the report (its
filters, its CSV, and who may read it).
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import signed_in_client as _client
from tests.functional.accounts.sanctions_world import _confirmed, _record, _recorded, _text
from tests.functional.accounts.sanctions_world import world  # noqa: F401 - the fixture


# --- letter ---------------------------------------------------------------------------------------------

def test_letter_page_renders_the_notice_in_words(app, login, world, db_session):
    v = _confirmed(app, login, world, db_session)
    for who in ("lead", "manager", "rep"):
        resp = _client(app, login, getattr(world, who)).get(f"/violations/{v.id}/letter")
        assert resp.status_code == 200, who
        text = _text(resp)
        assert "Notice of an HMIS policy violation" in text
        assert "This letter concerns Ed Enduser and Harbor House." in text
        assert "confirmed it as Ed Enduser's 1st violation" in text
        assert "ed@example.org" in text and "rep@example.org" in text
    for who, status in (("other_rep", 404), ("other_manager", 404), ("eve", 403), ("helpdesk", 403)):
        assert _client(app, login, getattr(world, who)).get(f"/violations/{v.id}/letter").status_code == status, who


def test_detail_page_for_outsiders(app, login, world, db_session):
    v = _recorded(app, login, world, db_session)
    for who, status in (("other_rep", 404), ("other_manager", 404), ("eve", 403), ("helpdesk", 403),
                        ("rep", 200), ("manager", 200), ("sysadmin", 200)):
        assert _client(app, login, getattr(world, who)).get(f"/violations/{v.id}").status_code == status, who
    assert "Ed Enduser" not in _text(_client(app, login, world.other_manager).get("/violations?status=all"))
    assert "Ed Enduser" in _text(_client(app, login, world.manager).get("/violations"))


# --- report ---------------------------------------------------------------------------------------------

def _csv(resp) -> list[list[str]]:
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(resp.get_data(as_text=True))))


def test_report_filters_by_coc_and_dates(app, login, world, db_session):
    _recorded(app, login, world, db_session, occurred_on="2026-10-01", description="October thing.")
    _recorded(app, login, world, db_session, occurred_on="2026-10-20", description="Late October thing.")
    resp = _record(_client(app, login, world.lead), world, person=world.bo, agency=world.other,
                   occurred_on="2026-10-05", description="Other CoC thing.")
    assert resp.status_code == 303
    lead = _client(app, login, world.lead)
    page = _text(lead.get("/violations/report"))
    assert "3 violations." in page
    assert all(d in page for d in ("October thing.", "Late October thing.", "Other CoC thing."))
    page = _text(lead.get(f"/violations/report?coc={world.coc.id}&since=2026-10-10&until=2026-10-31"))
    assert "1 violation." in page and "Late October thing." in page and "Other CoC thing." not in page
    rows = _csv(lead.get(f"/violations/report?coc={world.coc.id}&format=csv"))
    assert rows[0][:3] == ["Occurred", "Person", "Agency"]
    assert sorted(r[7] for r in rows[1:]) == ["Late October thing.", "October thing."]
    # A manager sees only their CoC, whatever the filter asks.
    rows = _csv(_client(app, login, world.other_manager).get(f"/violations/report?coc={world.coc.id}&format=csv"))
    assert rows[1:] == []
    rows = _csv(_client(app, login, world.other_manager).get("/violations/report?format=csv"))
    assert [r[7] for r in rows[1:]] == ["Other CoC thing."]


@pytest.mark.parametrize("query", ["since=2026-13-01", "until=٢٠٢٦-١١-٠١", "since=2026-11-01&until=2026-10-01",
                                   "since=9999-12-31"])
def test_report_with_bad_dates_is_400(app, login, world, query):
    assert _client(app, login, world.lead).get(f"/violations/report?{query}").status_code == 400


def test_report_csv_neutralises_a_cell_that_would_be_a_formula(app, login, world, db_session):
    _recorded(app, login, world, db_session, description='=HYPERLINK("http://evil.example","x")')
    rows = _csv(_client(app, login, world.lead).get("/violations/report?format=csv"))
    assert rows[1][7] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert not any(cell[:1] in "=+-@" for row in rows for cell in row if cell)


@pytest.mark.parametrize("who", ["eve", "rep", "other_rep", "helpdesk"])
def test_report_and_list_are_refused_to_non_staff(app, login, world, db_session, who):
    _recorded(app, login, world, db_session)
    client = _client(app, login, getattr(world, who))
    assert client.get("/violations/report").status_code == 403
    assert client.get("/violations/report?format=csv").status_code == 403
    assert client.get("/violations").status_code == 403
