"""The world the fuzzer walks: real rows for every URL part, and a signed-in browser for every kind of access.

Rows are made in every state whose page shows a form (a request waiting for a decision, a case blocked
at the attempt limit ...), so every route that takes a POST has a form to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pyotp
import pytest
from werkzeug.datastructures import ImmutableMultiDict

from lms.core.roles import Role
from tests.conftest import DEFAULT_PASSWORD
from tests.functional.sandbox.conftest import CLIENT, ENTRY


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
