"""The sandbox's data quality pages: findings naming the client, and the APR Q6 tables."""

import re

from tests.functional.sandbox.conftest import ENTRY
from tests.functional.sandbox.pages import offered_project_id


def test_data_quality_page_lists_findings(trainee_client, make_sandbox_client):
    make_sandbox_client(trainee_client, SSN="", SSNDataQuality="99")
    html = trainee_client.get("/sandbox/quality").get_data(as_text=True)
    assert "SSN: not collected" in html


def test_data_quality_rows_name_the_client(trainee_client, make_sandbox_client):
    personal_id = make_sandbox_client(trainee_client, SSN="", SSNDataQuality="99")
    html = trainee_client.get("/sandbox/quality").get_data(as_text=True)
    assert f'href="/sandbox/clients/{personal_id}">Maria Lopez</a>' in html and "Open client" not in html


def test_apr_q6_page_shows_every_table_accessibly_and_refuses_bad_periods(trainee_client, make_sandbox_client):
    from html.parser import HTMLParser

    personal_id = make_sandbox_client(trainee_client)
    resp = trainee_client.post(f"/sandbox/clients/{personal_id}/enroll",
                               data={**ENTRY, "ProjectID": offered_project_id(trainee_client, personal_id)})
    assert resp.status_code == 303
    assert "/sandbox/quality/apr" in trainee_client.get("/sandbox/quality").get_data(as_text=True)
    resp = trainee_client.get("/sandbox/quality/apr")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "1 client." in html
    for key in ("q6a", "q6b", "q6c", "q6d", "q6e", "missouri", "q6f"):
        # Each table scrolls inside a labelled, focusable region and has a caption.
        assert (f'<div class="usa-table-container--scrollable" tabindex="0" role="region" '
                f'aria-labelledby="{key}-caption">') in html
        assert f'<caption id="{key}-caption">' in html
    assert "Partner Agencies are required to enter all data into the HMIS within 72 hours" in html
    # The client's SSN is partial (a data issue): 1 of 1 client in the overall score.
    assert re.search(r'<th scope="row" class="minw-15">Overall Score</th>\s*(<td[^>]*>.*?</td>\s*){3}<td[^>]*>1</td>\s*'
                     r'<td[^>]*>100.00%</td>', html)

    class Cells(HTMLParser):
        rows_without_header = 0

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.first = True
            elif tag in ("td", "th") and getattr(self, "first", False):
                self.first = False
                if tag == "td" or dict(attrs).get("scope") not in ("row", "col"):
                    self.rows_without_header += 1

    parser = Cells()
    parser.feed(html)
    assert parser.rows_without_header == 0
    ok = trainee_client.get("/sandbox/quality/apr?start=2026-10-01&end=2026-10-31")
    assert ok.status_code == 200 and "from 10/01/2026 up to 10/31/2026" in ok.get_data(as_text=True)
    for bad, message in (("start=yesterday", "Report start: enter a date like 2026-10-01."),
                         ("end=9999-12-31", "Report end: choose a date from 01/01/1900 to today."),
                         ("start=2026-10-30&end=2026-10-01", "Report start: choose a date on or before the report end.")):
        resp = trainee_client.get(f"/sandbox/quality/apr?{bad}")
        assert resp.status_code == 400 and message in resp.get_data(as_text=True), bad
