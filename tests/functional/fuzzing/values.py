"""What the fuzzer sends: good answers that pass each form's checks, and bad values by the kind of field.

Also the routes it treats specially (no form, posted signed in, bookkeeping a refusal may write).
"""

from __future__ import annotations

from hypothesis import strategies as st

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


def bad_change(kind: str) -> st.SearchStrategy:
    """One field's bad input: a value aimed at its kind (most often), any bad value, left out, or repeated."""
    aimed = st.sampled_from(BAD_VALUES.get(kind, BAD_VALUES["text"]))
    return st.one_of(aimed, aimed, _any_bad, st.just(MISSING), st.lists(st.one_of(aimed, _any_bad), min_size=2,
                                                                          max_size=3))
