"""Fuzz every form of the app with bad input: never a 500, and a refused request changes nothing.

No list of forms is kept here.  The test walks the URL map (like
``test_role_matrix.py``), fills each route's URL parts with real rows, signs in as
someone the route's access declaration (``lms.core.web.ACCESS_ATTR``) lets in,
renders every page that person can open and reads its ``<form>`` fields.  Then, for
every route that takes a POST and every page that reads its query string (its
search form's fields and every other name the view asks ``request.args`` for),
Hypothesis sends a fixed, small number of examples: the form as the page filled
it (with good answers where it left a field empty), with one or two fields
replaced by control and format characters, huge and negative numbers, NaN and
Infinity, impossible dates, over-long strings, other scripts' digits, wrong
types, or left out, or sent twice; plus explicit "sweeps" that put one bad value
in every field of a kind at once (every number NaN, every date 9999-12-31 ...), and
each form sent as JSON and with files in its fields.

Each example runs inside a savepoint of both databases that is rolled back
afterwards, so every example starts from the same world.  The checks:

* no answer is a 500 (every one found is reported with the last line of its traceback);
* a refused request (4xx, or a redirect that flashes an error), and any GET, changed no row
  of either database, except the bookkeeping a few sign-in pages keep on purpose
  (``BOOKKEEPING``).

``test_fuzzer_reaches_every_post_route`` fails when a route that takes a POST is
added without the fuzzer being able to reach it (an unknown URL part, no page
showing its form, no role that may post it).
"""

from __future__ import annotations

import io
import itertools
import logging
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pyotp
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import AnyConverter

from lms.core.roles import Role
from lms.core.web import ACCESS_ATTR
from tests.conftest import DEFAULT_PASSWORD
from tests.functional.sandbox.conftest import ASSESSMENT, CLIENT, ENTRY

#: Examples per form (the whole walk stays well under a minute per database).
EXAMPLES = 12

#: URL parts whose every value is a different form (the others take one real row each).
VARIANT_ARGS = {"stage"}

#: Routes that take a POST with no form on any page, and why.
NO_FORM = {
    "session.extend": "posted by the session-expiry script (static/js/session.js) with no fields",
    "quizzes.video_progress": "posted by the course video's player script (quizzes/static/video.js): start, end",
    "api.issue_credential": "a JSON call of the API with a bearer token (schemathesis fuzzes it against the "
                            "OpenAPI document: tests/functional/api/test_openapi_conformance.py)",
}

#: Which signed-in browser posts each public route that needs one (others are posted anonymously).
PUBLIC_AS = {
    "auth.mfa": "mfa",              # password accepted, second factor outstanding
    "auth.enrol_totp": "enrol",      # staff person who has not enrolled an authenticator yet
    "auth.change_password": "user",
    "auth.logout": "user",
}

#: Tables a refused request may change on purpose: failed sign-ins, second factors and current passwords are
#: counted and audited.
BOOKKEEPING = {
    "auth.login": {"audit_events", "login_throttles"},
    # Wrong codes count per account; the failure is committed with the session's last activity.
    "auth.mfa": {"audit_events", "login_throttles", "user_sessions"},
    # Every call of the API is audited, a refused one too.
    "api.issue_credential": {"audit_events"},
    # The pending secret is kept (committed with the session's last activity) before the code is read.
    "auth.enrol_totp": {"user_sessions"},
    # A wrong current password counts toward the account's throttle and lockout.
    "auth.change_password": {"audit_events", "login_throttles"},
}

#: Answers that pass each form's checks, so a single bad field reaches the code behind it.
GOOD_VALUES = {
    **CLIENT, **ENTRY, **ASSESSMENT, "FirstName": "Fuzzy", "LastName": "Tester",
    "full_name": "Fuzz Person", "email": "fuzz.person@example.org", "code": "MO-777", "name": "Fuzz Name",
    "InformationDate": "2026-10-20", "CurrentLivingSituation": "116", "LocationDetails": "Under the bridge",
    "ExitDate": "2026-10-20", "Destination": "116", "MoveInDate": "2026-10-20", "consented": "1",
    "signed_on": "2026-10-15", "documentation": "signed", "current_password": DEFAULT_PASSWORD,
    "new_password": "Violet-Harbor-Lantern-77", "confirm": "Violet-Harbor-Lantern-77",
    "password": DEFAULT_PASSWORD, "apa_signed_on": "2026-01-15", "apa_renewal_due": "2027-01-15",
}

#: Good answers for one route's form that win over what its page filled in.
ENDPOINT_GOOD = {
    "sandbox.reset": {"confirm": "RESET"},
    "sandbox.admin_workspaces": {"confirm": "RESET"},
    "practice_cases.one_on_one": {"held_at": "2026-11-01T10:00", "trainer": "Hal Helpdesk"},
    "practice_cases.decide": {"outcome": "retry"},
    "practice_cases.comment": {"text": "Check the project start date."},
    "practice_cases.snippets": {"element": "Client.DOB", "text": "Check the birth date."},
}

#: Fields never changed (CSRF is off in tests; the token is checked by tests of its own).
FIXED_FIELDS = {"csrf_token"}

#: Bad values by the kind of field they are aimed at (any value may still land in any field).
BAD_VALUES = {
    "date": ["9999-12-31", "0001-01-01", "2026-02-30", "0000-00-00", "2026-13-01", "10000-01-01", "1900-01-01",
             "١٩٨٨-٠٤-١٢", "２０２６-１０-２０", "2026-1-1", "31/12/2026", "2026-10-20T25:00", "-2026-10-20"],
    "number": ["NaN", "nan", "Infinity", "-Infinity", "inf", "-1", "-0", "0", "2147483648", "-2147483649",
               "9223372036854775808", "99999999999999999999", "1e309", "1e-400", "-0.001", "12.345", "0x10",
               "1_000", "1,5", "$-5", ".", "١٢٣", "１２３", "²", "०१", "৭"],
    "select": ["99999999999999999999", "2147483648", "-1", "NaN", "١", "１", "x", "", "0", "1.5", "[]"],
    "choice": ["2", "", "yes", "on", "-1", "y y"],
    "text": ["x" * 300, "é" * 1000, "𝔘" * 300, "x" * 5000, "", " ", "\u200b", "\u200e", "\ufeff", "a\u202eb",
             "\u2060", "\u00ad", "İSTANBUL", "ß", "ǅ", "１２３４５６", "١٢٣٤٥٦", "<script>alert(1)</script>",
             "' OR 1=1 --", "%", "_", "\\", "null", "[]", "{}", "true"],
    # Refused by the shared guard (tested on its own in tests/functional/core/test_security.py).
    "control": ["\x00", "a\x00b", "\x1b[2J", "\x7f", "\x85"],
}
ALL_BAD = sorted({v for values in BAD_VALUES.values() for v in values})

def _fullwidth(good: str) -> str:
    return str(good).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _arabic_indic(good: str) -> str:
    return str(good).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


#: A few values per kind sent to every field of that kind at once (the rest of the form stays good), so
#: each kind's conversion and the service behind it see them whatever the random examples pick.  A
#: function makes the value from the field's good answer (the same number in other digits).
SWEEP = {
    "date": ["9999-12-31", "0001-01-01", "2026-02-30", _arabic_indic],
    "number": ["NaN", "Infinity", "-1", "99999999999999999999", _fullwidth, "²"],
    "select": ["99999999999999999999", "NaN", "²", ""],
    "choice": ["2"],
    "text": ["x" * 300, "\u200b", "İSTANBUL", "１２３４５６", "²"],
}

_any_bad = st.one_of(
    st.sampled_from(ALL_BAD),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(repr),
    st.dates().map(lambda d: d.isoformat()),
)


class _Missing:
    def __repr__(self) -> str:
        return "<left out>"


MISSING = _Missing()

#: A change that sends the whole form as a JSON body with numbers, nulls and lists for values.
JSON_BODY = "<the form as JSON>"
#: A change that sends a file in place of every field.
FILES = "<files in every field>"


def _change(kind: str) -> st.SearchStrategy:
    """One field's bad input: a value aimed at its kind (most often), any bad value, left out, or repeated."""
    aimed = st.sampled_from(BAD_VALUES.get(kind, BAD_VALUES["text"]))
    return st.one_of(aimed, aimed, _any_bad, st.just(MISSING), st.lists(st.one_of(aimed, _any_bad), min_size=2,
                                                                          max_size=3))


# --- reading forms --------------------------------------------------------------------------------

@dataclass
class Form:
    page: str
    action: str
    method: str
    #: (name, value) pairs in the order a browser submits them (what the page filled in).
    pairs: list[tuple[str, str]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    #: What the markup says each field is: date, choice, select, text, or input (any other <input>).
    markup: dict[str, str] = field(default_factory=dict)
    #: Good answers for this route that win over the page's (a real e-mail address, a current code ...).
    good: dict[str, str] = field(default_factory=dict)

    def baseline(self, name: str) -> str:
        """The value sent when the field is left alone: the page's, or a good answer where it has none."""
        if name in self.good:
            return self.good[name]
        value = next((v for n, v in self.pairs if n == name), "")
        return GOOD_VALUES.get(name, value) if value in ("", None) else value

    def kind(self, name: str) -> str:
        """Tell what kind of value the field takes (from its markup, else from its good value)."""
        markup = self.markup.get(name, "input")
        if markup != "input":
            return markup
        value = str(self.baseline(name))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) or name in ("since", "until"):
            return "date"
        if re.fullmatch(r"-?\d+(\.\d+)?", value) or name == "page" or name.endswith(("Amount", "Income")):
            return "number"
        return "text"


class _FormParser(HTMLParser):
    """Collect each <form>'s action, method and fields as a browser would submit them."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._textarea_text = ""
        self._formactions: list[str] = []

    def _add_name(self, name: str, markup: str) -> None:
        if self._form is not None and name and name not in self._form.names:
            self._form.names.append(name)
            self._form.markup[name] = markup

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(page=self.page, action=a.get("action") or self.page,
                              method=(a.get("method") or "get").upper())
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            self._add_name(name, {"date": "date", "checkbox": "choice", "radio": "choice"}.get(kind, "input"))
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.pairs.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "reset", "image", "file"):
                self._form.pairs.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._add_name(name, "select")
            self._select = (name, [])
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a)
            self._option_text = ""
        elif tag == "textarea" and name:
            self._add_name(name, "text")
            self._textarea, self._textarea_text = name, ""
        elif tag == "button" and name:
            self._add_name(name, "choice")
        if tag in ("button", "input") and a.get("formaction"):  # a submit button sending the form elsewhere
            self._formactions.append(a["formaction"])

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option_text += data
        if self._textarea is not None:
            self._textarea_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._select is not None:
            value, selected = self._option
            self._select[1].append((self._option_text.strip() if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options = self._select
            chosen = [v for v, sel in options if sel] or [v for v, _ in options if v][:1] or [""]
            self._form.pairs.append((name, chosen[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.pairs.append((self._textarea, self._textarea_text))
            self._textarea = None
        elif tag == "form":
            if self._form is not None:
                for action in self._formactions:  # the same fields, sent to each button's address
                    self.forms.append(replace(self._form, action=action, pairs=list(self._form.pairs),
                                              names=list(self._form.names), markup=dict(self._form.markup)))
            self._form, self._formactions = None, []


def _forms(page: str, html: str) -> list[Form]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms


# --- the world: real rows for every URL part, and a browser for every kind of access ----------------

@dataclass
class World:
    app: Any
    clients: dict[str, Any]
    url_values: dict[str, list[Any]]
    make_client_for_role: Any
    #: Query-string names each endpoint's view reads (recorded while the pages are opened).
    query_names: dict[str, set[str]]
    #: Good answers that depend on the world's rows, by endpoint.
    good: dict[str, dict[str, str]]


class _RecordingArgs(ImmutableMultiDict):
    """``request.args`` that notes every name the view asks for, present or not."""

    def __init__(self, mapping, seen: set[str]) -> None:
        super().__init__(mapping)
        self._seen = seen

    def get(self, key, default=None, type=None):  # noqa: A002 - MultiDict's signature
        self._seen.add(key)
        return super().get(key, default, type)

    def __getitem__(self, key):
        self._seen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        self._seen.add(key)
        return super().__contains__(key)

    def getlist(self, key, type=None):  # noqa: A002
        self._seen.add(key)
        return super().getlist(key, type)


def _record_query_names(app) -> dict[str, set[str]]:
    """Make every request note the query-string names its view reads (before the app serves its first)."""
    from flask import request

    names: dict[str, set[str]] = {}

    @app.before_request
    def _record():
        if request.endpoint:
            request.__dict__["args"] = _RecordingArgs(request.args, names.setdefault(request.endpoint, set()))

    return names


def _location_id(resp, kind: str) -> str:
    return re.search(rf"/sandbox/{kind}/([0-9a-f]{{32}})", resp.headers["Location"]).group(1)


def _sandbox_world(client) -> dict[str, list[str]]:
    """Create, through the pages, a client with consent, a second client, and three kinds of stay."""
    client.get("/sandbox/")
    resp = client.post("/sandbox/clients/new", data={**CLIENT, "record_id": ""})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    personal_id = _location_id(resp, "clients")
    resp = client.post(f"/sandbox/clients/{personal_id}/roi",
                       data={"consented": "1", "signed_on": "2026-10-15", "documentation": "signed"})
    assert resp.status_code == 303
    resp = client.post("/sandbox/clients/new", data={**CLIENT, "FirstName": "Marco", "record_id": "",
                                                     "confirm_new": "y"})
    assert resp.status_code == 303
    html = client.get(f"/sandbox/clients/{personal_id}/enroll").get_data(as_text=True)
    enrollments = []
    for label, entry in (("Emergency Shelter - Entry Exit", ENTRY), ("Street Outreach", ENTRY),
                         ("PH - Rapid Re-Housing", {**ENTRY, "LivingSituation": "101", "LOSUnderThreshold": "",
                                                    "PreviousStreetESSH": ""})):
        project_id = re.search(rf'<option [^>]*value="([0-9a-f]{{32}})"[^>]*>[^<]*\({re.escape(label)}\)</option>',
                               html).group(1)
        resp = client.post(f"/sandbox/clients/{personal_id}/enroll", data={**entry, "ProjectID": project_id})
        assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
        enrollments.append(_location_id(resp, "enrollments"))
    fresh_project = re.search(r'<option [^>]*value="([0-9a-f]{32})"[^>]*>[^<]*\(Transitional Housing\)</option>', html).group(1)
    return {"personal_id": [personal_id], "enrollment_id": enrollments, "fresh_project_id": fresh_project}


@pytest.fixture
def world(app, db_session, sandbox_session, clock, make_user, make_agency, make_project, login, tmp_path):
    from lms.auth.models import PasswordResetToken
    from lms.auth.rules import token_hash
    import lms.hud as hud

    query_names = _record_query_names(app)
    from datetime import date

    agency = make_agency(apa_signed_on=date(2026, 1, 15), apa_renewal_due=date(2027, 1, 15))  # may request access
    project = make_project(agency=agency)
    admin = make_user(roles=[Role.LEAD_ADMIN])
    user = make_user(roles=[Role.END_USER], agency=agency)
    # The person the administration pages act on: locked and enrolled, so every action's button shows.
    person = make_user(roles=[Role.END_USER, Role.AGENCY_REP], agency=agency, totp=True)
    person.locked_at = clock.now
    token = "fuzz-reset-token-0123456789abcdef"
    db_session.add(PasswordResetToken(user_id=user.id, token_hash=token_hash(token), created_at=clock.now,
                                      expires_at=clock.now.replace(year=clock.now.year + 1)))
    db_session.commit()

    clients: dict[str, Any] = {"anon": app.test_client()}
    by_role: dict[Role, Any] = {}
    people: dict[Role, Any] = {Role.LEAD_ADMIN: admin}

    def client_for_role(role: Role):
        if role not in by_role:
            if role not in people:
                people[role] = make_user(roles=[role], agency=agency, coc=agency.coc)
            c = app.test_client()
            login(c, people[role])
            by_role[role] = c
            clients[f"role:{role.value}"] = c
        return by_role[role]

    client_for_role(Role.LEAD_ADMIN)
    client_for_role(Role.AGENCY_REP)
    later_rows = _staff_world(db_session, clock, make_user, tmp_path, agency=agency, project=project, user=user,
                              admin=admin, rep=people[Role.AGENCY_REP])
    clients["user"] = app.test_client()
    login(clients["user"], user)
    mfa_person = make_user(roles=[Role.SYSADMIN], totp=True)
    clients["mfa"] = app.test_client()
    assert "/auth/mfa" in clients["mfa"].post("/auth/login", data={"email": mfa_person.email,
                                                                     "password": DEFAULT_PASSWORD}).headers["Location"]
    enrol_person = make_user(roles=[Role.SYSADMIN], totp=False)
    enrol_person.totp_pending_secret = pyotp.random_base32()
    db_session.commit()
    clients["enrol"] = app.test_client()
    assert "/auth/enrol" in clients["enrol"].post("/auth/login", data={"email": enrol_person.email,
                                                                         "password": DEFAULT_PASSWORD}).headers["Location"]

    sandbox_rows = _sandbox_world(clients["user"])
    practice_rows = _practice_world(db_session, sandbox_session, clock, make_user, agency=agency, user=user,
                                    admin=admin)
    good = {
        "auth.login": {"email": user.email},
        "auth.mfa": {"code": pyotp.TOTP(mfa_person.totp_secret).at(clock.now)},
        "auth.enrol_totp": {"code": pyotp.TOTP(enrol_person.totp_pending_secret).at(clock.now)},
        # A project the client is not in yet (its CoC; no move-in before the entry the page fills in).
        "sandbox.enroll": {"ProjectID": sandbox_rows.pop("fresh_project_id"), "EnrollmentCoC": "MO-602",
                           "MoveInDate": ""},
        "practice_cases.assign": {"reviewer_id": str(admin.id)},
    }
    url_values: dict[str, list[Any]] = {
        "user_id": [person.id], "grant_id": [g.id for g in person.grants],
        "membership_id": [m.id for m in person.memberships], "coc_id": [agency.coc_id], "agency_id": [agency.id],
        "project_id": [project.id], "token": [token], "stage": sorted(hud.STAGES),
        "obj_id": lambda parts: {"cocs": agency.coc_id, "agencies": agency.id, "projects": project.id}[parts["kind"]],
        **sandbox_rows,
        **later_rows,
        **practice_rows,
    }
    # A certificate's year; an API token to revoke; a person the API is asked about.
    from lms.api import services as api_services

    api_token, _ = api_services.create_token(db_session, name="Fuzz", scopes=["people:read"],
                                             all_organisations=True, actor=admin, now=clock.now)
    db_session.commit()
    url_values.update({"fiscal_year": [2027], "token_id": [api_token.id], "person_id": [user.id],
                       "code": ["ABCD-EFGH-JKMN"]})  # a code no certificate has: the page says so
    # The people the credentials pages act on: one ready for credentials, one who holds them.
    url_values["user_id"] = [person.id, *later_rows.pop("credential_people")]
    url_values["token"] = [token, *later_rows.pop("invitation_token")]  # a password reset; an invitation
    db_session.close()
    sandbox_session.close()
    return World(app=app, clients=clients, url_values=url_values, make_client_for_role=client_for_role,
                  query_names=query_names, good=good)


def _practice_world(db_session, sandbox_session, clock, make_user, *, agency, user, admin) -> dict[str, list[Any]]:
    """Practice cases: the user's two cases (one segment submitted and waiting for review, the other open), a
    person whose case is blocked at the attempt limit (its one-on-one and decision forms show), a snippet."""
    from lms.training import services as training
    from practice_cases import services as practice
    from sandbox import services as sandbox

    now = clock.now
    training.start_plan(db_session, user, practice_groups=["emergency_shelter", "permanent_housing"], now=now)
    waiting, fresh = practice.assignments_of(db_session, user)
    submission = practice.submit(db_session, sandbox_session, user, waiting.id, "entry", now=now)
    blocked_person = make_user(roles=[Role.END_USER], agency=agency)
    training.start_plan(db_session, blocked_person, practice_groups=["emergency_shelter"], now=now)
    sandbox.workspace_for_user(sandbox_session, blocked_person.id, now=now)
    (blocked,) = practice.assignments_of(db_session, blocked_person)
    for _ in range(practice.attempt_limit(db_session)):
        sub = practice.submit(db_session, sandbox_session, blocked_person, blocked.id, "entry", now=now)
        practice.return_submission(db_session, admin, sub.id, text="Enter the intake forms.", now=now)
    snippet = practice.save_snippet(db_session, admin, element="Enrollment.EntryDate", text="Check the date.", now=now)
    db_session.commit()
    sandbox_session.commit()
    return {"assignment_id": [fresh.id, waiting.id, blocked.id], "submission_id": [submission.id],
            "snippet_id": [snippet.id]}


def _staff_world(db_session, clock, make_user, tmp_path, *, agency, project, user, admin, rep) -> dict[str, list[Any]]:
    """Rows in every state whose page shows a form: a signed agreement, a request waiting for a decision,
    a revocation waiting for the credential to be made inactive, violations awaiting review, a remedy and a
    panel, a person ready for live credentials and one holding them."""
    from datetime import timedelta

    from lms.accounts.requests.models import AccessInvitation, AccessRequest, AccessRequestProject
    from lms.auth.rules import token_hash
    from lms.accounts.revocations.models import RevocationNotice
    from lms.accounts.sanctions import services as sanctions
    from lms.credentials.models import ISSUED, LiveCredential
    from lms.training import rules as training_rules
    from lms.training import services as training

    now, today = clock.now, clock.now.date()
    training.load_content(db_session, now=now)
    version = training.current_upra(db_session)
    signature, _ = training.sign_upra(db_session, user, version_id=version.id,
                                      checked=[str(p.id) for p in version.policies], typed_name=user.full_name,
                                      now=now)
    # A new version published after the signature: the person's signed copy stays, and the page asks again.
    import json

    newer = json.loads((training.DATA_DIR / f"upra_v{version.version}.json").read_text(encoding="utf-8"))
    newer["version"] = version.version + 1
    newer_path = tmp_path / f"upra_v{newer['version']}.json"
    newer_path.write_text(json.dumps(newer), encoding="utf-8")
    training.load_upra(db_session, newer_path, now=now)
    waiting = AccessRequest(agency_id=agency.id, full_name="Wai Ting", email="wai.ting@example.org",
                            employment="employee", justification="Intake worker", status="submitted",
                            submitted_at=now, submitted_by_id=rep.id)
    db_session.add(waiting)
    db_session.flush()
    db_session.add(AccessRequestProject(request_id=waiting.id, project_id=project.id))
    leaver = make_user(roles=[Role.END_USER], agency=agency)
    notice = RevocationNotice(user_id=leaver.id, agency_id=agency.id, kind="separation", reason="Left the agency",
                              effective_on=today, notified_on=today, submitted_at=now, submitted_by_id=rep.id,
                              applied_at=now, credential_due_on=today + timedelta(days=3))
    db_session.add(notice)
    violations = []
    for confirm, broke_law in ((None, False), (True, False), (True, True)):  # pending; a remedy; a panel
        who = make_user(roles=[Role.END_USER], agency=agency)
        v = sanctions.record_violation(db_session, actor=admin, user_id=who.id, agency_id=agency.id, occurred_on=today,
                                       description="Shared a password", broke_law=broke_law, now=now, today=today)
        if confirm is not None:
            sanctions.review(db_session, v, actor=admin, confirm=confirm, note="Confirmed", now=now)
        violations.append(v.id)
    ready = make_user(roles=[Role.END_USER], agency=agency)
    approved = AccessRequest(agency_id=agency.id, full_name=ready.full_name, email=ready.email,
                             employment="employee", justification="Intake worker", status="approved",
                             submitted_at=now, submitted_by_id=rep.id, decided_at=now, decided_by_id=admin.id,
                             user_id=ready.id)
    db_session.add(approved)
    db_session.flush()
    # The link an approved person sets their first password with.
    invitation_token = "fuzz-invitation-token-0123456789abcdef"
    db_session.add(AccessInvitation(user_id=ready.id, request_id=approved.id, token_hash=token_hash(invitation_token),
                                    created_at=now, expires_at=now + timedelta(days=7)))
    plan = training.start_plan(db_session, ready, practice_groups=["emergency_shelter"], now=now)
    for key in plan.requirement_keys:
        training.record_evidence(db_session, ready, key, fiscal_year=training_rules.fiscal_year_of(now),
                                 achieved_at=now, source="fuzz", source_id=f"{ready.id}-{key}")
    # The quizzes: the banks loaded, and a test the signed-in user has open (its answer form shows).
    from quizzes import services as quizzes

    quizzes.load_content(db_session, now=now)
    from quizzes import videos

    for course in ("security_privacy", "data_standards", "cs_basics"):
        videos.mark_watched(db_session, user.id, course, now=now)
    attempt, _ = quizzes.start_attempt(db_session, user, "security_privacy", now=now)
    holder = make_user(roles=[Role.END_USER], agency=agency)
    credential = LiveCredential(user_id=holder.id, username="holder.one", status=ISSUED, issued_at=now,
                                issued_by_id=admin.id)
    db_session.add(credential)
    db_session.commit()
    return {"signature_id": [signature.id], "request_id": [waiting.id], "notice_id": [notice.id],
            "violation_id": violations, "credential_id": [credential.id], "credential_people": [ready.id, holder.id],
            "invitation_token": [invitation_token], "attempt_id": [attempt.id]}


# --- targets: (route, URL, who posts it, its form) --------------------------------------------------

@dataclass
class Target:
    endpoint: str
    url: str
    method: str
    who: str
    form: Form | None
    #: The route as reported (real rows' ids stay placeholders, so reports compare across runs).
    label: str = ""


def _who(world: World, endpoint: str) -> str:
    access = getattr(world.app.view_functions[endpoint], ACCESS_ATTR, None)
    if isinstance(access, frozenset):
        role = Role.LEAD_ADMIN if Role.LEAD_ADMIN in access else sorted(access, key=lambda r: r.value)[0]
        world.make_client_for_role(role)
        return f"role:{role.value}"
    if access == "signed_in":
        return "user"
    if access == "public":
        return PUBLIC_AS.get(endpoint, "anon")
    if isinstance(access, str) and access.startswith("token:"):
        return "anon"  # API calls take a bearer token, never a browser's session
    raise AssertionError(f"{endpoint} declares no access (see test_role_matrix.py)")


def _urls(world: World, rule, *, every: bool = False) -> list[tuple[str, dict[str, Any]]]:
    """Build the rule's URLs: every value of an ``any(...)`` or variant part, one real row for the others
    (every real row with ``every``).

    A world value may be a function of the other parts (``obj_id`` is a CoC, agency or project by ``kind``).
    """
    options: dict[str, list[Any]] = {}
    later: dict[str, Any] = {}
    for name in rule.arguments:
        conv = rule._converters[name]
        if isinstance(conv, AnyConverter):
            options[name] = sorted(conv.items)
        elif name not in world.url_values:
            raise AssertionError(f"the fuzzer has no real row for <{name}> of {rule.rule}: add one to the "
                                 f"world fixture of tests/functional/test_fuzz_forms.py")
        elif callable(world.url_values[name]):
            later[name] = world.url_values[name]
        else:
            values = world.url_values[name]
            options[name] = values if every or name in VARIANT_ARGS else values[:1]
    urls = []
    for combo in itertools.product(*options.values()):
        values = dict(zip(options, combo))
        values.update({name: pick(values) for name, pick in later.items()})
        urls.append((rule.build(values, append_unknown=False)[1], values))
    return urls


def _rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static" and not r.endpoint.endswith(".static")]


def _crawl(world: World) -> dict[str, list[tuple[str, Form]]]:
    """Open every GET page as everyone allowed to; index the forms found by the endpoint they send to."""
    adapter = world.app.url_map.bind("localhost")
    found: dict[str, list[tuple[str, Form]]] = {}
    for rule in _rules(world.app):
        if "GET" not in rule.methods:
            continue
        # Every role the page admits: some forms show to one role only (a representative withdraws).
        access = getattr(world.app.view_functions[rule.endpoint], ACCESS_ATTR, None)
        whos = [_who(world, rule.endpoint)]
        if isinstance(access, frozenset):
            for role in sorted(access, key=lambda r: r.value):
                world.make_client_for_role(role)
                whos.append(f"role:{role.value}")
        for who, (url, _) in itertools.product(dict.fromkeys(whos), _urls(world, rule, every=True)):
            resp = world.clients[who].get(url)
            if not resp.content_type.startswith("text/html") or resp.status_code != 200:
                continue
            for form in _forms(url, resp.get_data(as_text=True)):
                parts = urlsplit(form.action)
                try:
                    endpoint, _ = adapter.match(parts.path, method=form.method)
                except Exception:  # noqa: BLE001 - a form sending elsewhere is not ours to fuzz
                    continue
                form.action = parts.path
                found.setdefault(endpoint, []).append((form.action, form))
    return found


def _for_route(world: World, endpoint: str, form: Form | None) -> Form | None:
    """A copy of ``form`` (pages share forms) with the route's own good answers."""
    if form is None:
        return None
    return replace(form, names=list(form.names),
                   good={**ENDPOINT_GOOD.get(endpoint, {}), **world.good.get(endpoint, {})})


def _targets(world: World) -> list[Target]:
    forms = _crawl(world)
    targets: list[Target] = []
    for rule in _rules(world.app):
        if "POST" not in rule.methods:
            continue
        who = _who(world, rule.endpoint)
        candidates = [f for _, f in forms.get(rule.endpoint, []) if f.method == "POST"]
        variants: dict[tuple, list[str]] = {}
        for url, values in _urls(world, rule, every=True):
            variant = tuple((n, v) for n, v in values.items()
                            if n in VARIANT_ARGS or isinstance(rule._converters[n], AnyConverter))
            variants.setdefault(variant, []).append(url)
        for variant, urls in variants.items():
            # The URL whose own form a page shows (the move-in form shows only for a housing stay) ...
            url, form = next(((u, f) for u in urls for f in candidates if f.action == u), (urls[0], None))
            # ... else the same route's form for another row or action (Reactivate shows only for the inactive).
            form = form or (candidates or [None])[0]
            form = _for_route(world, rule.endpoint, form)
            if form is None and rule.endpoint not in NO_FORM:
                raise AssertionError(f"no page shows a form posting to {rule.rule} ({rule.endpoint}): make the "
                                     f"world show it, or add the route to NO_FORM with the reason")
            label = re.sub(r"<(?:[^:<>]+:)?(\w+)>", lambda m: str(dict(variant).get(m.group(1), f"<{m.group(1)}>")),
                           rule.rule)
            targets.append(Target(rule.endpoint, url, "POST", who, form, label))
    # GET: one target per page that reads its query string, with its search form's fields if it has one,
    # and every other name its view reads (?page=, ?next=, ?household= ...).
    for rule in _rules(world.app):
        if "GET" not in rule.methods or rule.endpoint in {t.endpoint for t in targets if t.method == "GET"}:
            continue
        get_forms = [f for _, f in forms.get(rule.endpoint, []) if f.method == "GET" and f.names]
        form = _for_route(world, rule.endpoint, get_forms[0] if get_forms else
                          Form(page=_urls(world, rule)[0][0], action=_urls(world, rule)[0][0], method="GET"))
        for name in sorted(world.query_names.get(rule.endpoint, set()) - set(form.names)):
            form.names.append(name)
        if form.names:
            targets.append(Target(rule.endpoint, form.action, "GET", _who(world, rule.endpoint), form, rule.rule))
    return targets


def test_fuzzer_reaches_every_post_route(world):
    targets = _targets(world)
    post_rules = {r.endpoint for r in _rules(world.app) if "POST" in r.methods}
    reached = {t.endpoint for t in targets if t.method == "POST" and (t.form is not None or t.endpoint in NO_FORM)}
    assert post_rules and reached == post_rules, f"POST routes the fuzzer does not reach: {post_rules - reached}"
    # The searches and filters are fuzzed too.
    get_forms = {t.endpoint for t in targets if t.method == "GET"}
    assert {"accounts.people", "orgs.agencies", "core.audit_log", "sandbox.home"} <= get_forms, get_forms


# --- the fuzzing --------------------------------------------------------------------------------------

def _snapshot(connections) -> dict[str, list[tuple]]:
    """Every row of every table of both databases."""
    rows: dict[str, list[tuple]] = {}
    for label, conn in connections:
        for table in sa.inspect(conn).get_table_names():
            result = conn.execute(sa.text(f'SELECT * FROM "{table}"'))
            rows[f"{label}.{table}"] = sorted((tuple(r) for r in result), key=repr)
    return rows


def _changed(before, after, allowed: set[str]) -> list[str]:
    return [name for name in before if before[name] != after.get(name) and name.split(".", 1)[1] not in allowed]


class _Capture(logging.Handler):
    """Keep the last line of the traceback of every error the app logs."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.last: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            import traceback

            self.last = traceback.format_exception_only(*record.exc_info[:2])[-1].strip().splitlines()[0][:240]


def _payload(form: Form, changes: dict[str, Any]) -> MultiDict:
    """The form as the page filled it (good answers where the page left a field empty), then the changes."""
    data = MultiDict()
    for name, value in form.pairs:
        if name not in changes:
            data.add(name, form.baseline(name))
    sent = {name for name, _ in form.pairs}
    for name in form.names:  # boxes the page left unticked that a good answer ticks
        if name not in sent and name not in changes and (name in form.good or name in GOOD_VALUES):
            data.add(name, form.baseline(name))
    for name, change in changes.items():
        if change is MISSING:
            continue
        for value in (change if isinstance(change, list) else [change]):
            data.add(name, value)
    return data


def _flashed_error(client) -> bool:
    with client.session_transaction() as sess:
        return any(category == "error" for category, _ in sess.get("_flashes", []))


@dataclass
class _Findings:
    crashes: dict[tuple[str, str], str] = field(default_factory=dict)
    dirty: dict[tuple[str, str], str] = field(default_factory=dict)


def _sweeps(form: Form, names: list[str]) -> list[dict[str, Any]]:
    """The explicit examples: each SWEEP value in every field of its kind at once, then every field left out,
    then every field sent twice."""
    by_kind: dict[str, list[str]] = {}
    for name in names:
        by_kind.setdefault(form.kind(name), []).append(name)
    sweeps = [{name: value(form.baseline(name)) if callable(value) else value for name in by_kind[kind]}
              for kind, values in SWEEP.items() if kind in by_kind for value in values]
    sweeps.append({name: MISSING for name in names})
    sweeps.append({name: [str(form.baseline(name)), str(form.baseline(name))] for name in names})
    return sweeps


def _fuzz(target: Target, client, cookies: dict, connections, before, capture: _Capture, found: _Findings) -> None:
    """Send the sweeps and ``EXAMPLES`` random bad versions of the target's form, each in savepoints rolled
    back afterwards."""
    form = target.form or Form(page=target.url, action=target.url, method=target.method)
    names = [n for n in form.names if n not in FIXED_FIELDS]
    route = f"{target.method} {target.label or target.url}"
    one_change = st.sampled_from(names + ["unexpected"]).flatmap(
        lambda name: st.tuples(st.just(name), _change(form.kind(name))))

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(changes=st.lists(one_change, min_size=1, max_size=2).map(dict))
    def send(changes):
        client._cookies = dict(cookies)
        data = _payload(form, changes)
        savepoints = [conn.begin_nested() for _, conn in connections]
        try:
            capture.last = None
            if target.method == "GET":
                resp = client.get(target.url, query_string=data)
            elif JSON_BODY in changes:
                resp = client.post(target.url, json={name: [1, None, 2.5] for name in names})
            elif FILES in changes:
                resp = client.post(target.url, content_type="multipart/form-data",
                                   data={name: (io.BytesIO(b"x,y\n"), f"{name}.csv") for name in names})
            else:
                resp = client.post(target.url, data=data)
            example = f"{resp.status_code} {_short(changes)}"
            if resp.status_code >= 500:
                found.crashes.setdefault((route, capture.last or f"HTTP {resp.status_code}"), example)
            elif (target.method == "GET" or 400 <= resp.status_code < 500
                  or (resp.status_code in (302, 303) and _flashed_error(client))):
                changed = _changed(before, _snapshot(connections), BOOKKEEPING.get(target.endpoint, set()))
                if changed:
                    found.dirty.setdefault((route, ", ".join(changed)), example)
        finally:
            for savepoint in reversed(savepoints):
                savepoint.rollback()

    for sweep in _sweeps(form, names) + ([{JSON_BODY: True}, {FILES: True}] if target.method == "POST" else []):
        send = example(changes=sweep)(send)
    send()


def _short(changes: dict[str, Any]) -> str:
    text = ", ".join(f"{k}={(v[:20] + f'...({len(v)})') if isinstance(v, str) and len(v) > 20 else v!r}"
                     for k, v in changes.items())
    return text[:400]


def _fuzz_all(world: World, targets: list[Target]) -> list[str]:
    """Fuzz ``targets``; return one line (and an example) per distinct 500 and per refusal that changed rows."""
    from lms.core.db import get_database

    app = world.app
    connections = [("lms", get_database(app).session_factory.kw["bind"]),
                   ("sandbox", app.extensions["sandbox.db"].session_factory.kw["bind"])]
    # Each example gets back the browser's cookies (a sign-out or a password change must not leak into the next).
    cookies = {who: dict(c._cookies) for who, c in world.clients.items()}
    before = _snapshot(connections)
    capture, found = _Capture(), _Findings()
    app.logger.addHandler(capture)
    try:
        for target in targets:
            _fuzz(target, world.clients[target.who], cookies[target.who], connections, before, capture, found)
    finally:
        app.logger.removeHandler(capture)
    report = [f"500 {route}: {last}\n    e.g. {example}" for (route, last), example in sorted(found.crashes.items())]
    report += [f"refused (or a GET) but changed {tables}: {route}\n    e.g. {example}"
               for (route, tables), example in sorted(found.dirty.items())]
    return report


def test_bad_input_to_every_form_is_never_a_500_and_a_refusal_changes_nothing(world):
    targets = _targets(world)
    report = _fuzz_all(world, targets)
    assert not report, f"{len(report)} problem(s) in {len(targets)} forms:\n" + "\n".join(report)


def test_fuzzer_reports_a_planted_500_and_a_planted_refusal_that_wrote(world, monkeypatch):
    """The checks above can fail: a view that crashes and one that writes before refusing are both reported."""
    from lms.core import audit
    from lms.core.clock import utcnow
    from lms.core.db import get_db_session

    def crashes(**_kw):
        raise RuntimeError("planted crash")

    def writes_then_refuses(**_kw):
        audit.record(get_db_session(), action="planted.write", now=utcnow())
        get_db_session().commit()
        return "refused", 400

    targets = [t for t in _targets(world) if t.label in ("/admin/cocs/new", "/admin/people/<user_id>/edit")]
    monkeypatch.setitem(world.app.view_functions, "orgs.coc_form", crashes)
    monkeypatch.setitem(world.app.view_functions, "accounts.edit_person", writes_then_refuses)
    report = "\n".join(_fuzz_all(world, targets))
    assert "500 POST /admin/cocs" in report and "RuntimeError: planted crash" in report
    assert "changed lms.audit_events: POST /admin/people/<user_id>/edit" in report
