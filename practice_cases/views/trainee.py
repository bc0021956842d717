"""The trainee's side: my practice cases (segments, attempts, feedback, submit) and the printable intake forms."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

import sandbox.services as sandbox
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError, NotFound
from lms.core.web import client_ip, commit, signed_in
from practice_cases import services
from practice_cases.forms import SubmitForm
from practice_cases.views import SEGMENT, bp


def feedback(sub) -> dict:  # noqa: ANN001
    """A returned submission's feedback for the trainee: each difference with the comments on its field,
    comments on other fields, and the overall comments."""
    by_field: dict[str, list] = {}
    for c in sub.comments:
        by_field.setdefault(c.field, []).append(c)
    rows = [{"difference": d, "comments": by_field.get(d.get("field") or "", []) if d.get("field") else []}
            for d in sub.comparison or []]
    shown = {d.get("field") for d in sub.comparison or [] if d.get("field")}
    others = [c for c in sub.comments if c.field and c.field not in shown]
    return {"rows": rows, "others": others, "overall": by_field.get("", [])}


@bp.route("/")
@signed_in
def mine():
    db_session = get_db_session()
    cases = []
    for a in services.assignments_of(db_session, current_user):
        try:
            case = services.case_of(a)
        except NotFound:
            case = None
        subs = services.submissions_of(db_session, current_user, a.id)
        current = next((s for s in a.segments if s.status in ("open", "returned", "submitted")), None)
        returned = [s for s in subs if s.outcome == "returned"]
        latest = returned[0] if returned and current is not None and current.status == "returned" \
            and returned[0].segment_id == current.id else None
        cases.append({"a": a, "case": case, "remaining": services.attempts_remaining(db_session, a),
                      "limit": services.attempt_limit(db_session), "current": current, "subs": subs,
                      "feedback": feedback(latest) if latest is not None else None, "latest": latest})
    return render_template("practice_cases/mine.html", cases=cases, form=SubmitForm(),
                           labels=services.SEGMENT_LABELS)


@bp.route(f"/cases/<id:assignment_id>/{SEGMENT}/submit", methods=["POST"])
@signed_in
def submit(assignment_id: int, segment: str):
    form = SubmitForm()
    if not form.validate_on_submit():
        abort(400)
    db_session = get_db_session()
    try:
        services.submit(db_session, sandbox.request_session(), current_user, assignment_id, segment, now=utcnow(),
                        ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        if exc.status_code != 400:
            raise
        flash(exc.message, "error")
        return redirect(url_for("practice_cases.mine"), 303)
    commit()
    flash(f"Your {services.SEGMENT_LABELS[segment]} segment is submitted for review. You will get an e-mail "
          "when it is reviewed.", "success")
    return redirect(url_for("practice_cases.mine"), 303)


@bp.route(f"/cases/<id:assignment_id>/forms/{SEGMENT}")
@signed_in
def intake_forms(assignment_id: int, segment: str):
    """The segment's intake forms, to read on screen or print.  A trainee sees no segment before it opens."""
    db_session = get_db_session()
    a = services.get_assignment(db_session, current_user, assignment_id)
    seg = services.segment_of(a, segment)
    if a.user_id == current_user.id and seg.status == "locked":
        raise NotFound("This segment is not open yet: it opens when the previous segment is approved.")
    case = services.case_of(a)
    return render_template("practice_cases/intake_forms.html", a=a, case=case, segment=segment,
                           label=services.SEGMENT_LABELS[segment], forms=case["segments"][segment]["intake_forms"],
                           own=a.user_id == current_user.id)
