"""A blocked case (one-on-one training by staff, the HMIS lead administrator's decision) and the feedback snippets."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.display import local_zone
from lms.core.errors import DomainError, InvalidInput
from lms.core.roles import Role
from lms.core.web import client_ip, commit, require
from practice_cases import services
from practice_cases.forms import ActionForm, DecideForm, OneOnOneForm, SnippetForm
from practice_cases.views import REVIEWERS, SNIPPET_EDITORS, bp

HELD_AT_FORMAT = "%Y-%m-%dT%H:%M"


def _held_at(raw: str) -> datetime:
    """Read the datetime-local field (the HMIS Lead's clock) as an aware datetime."""
    try:
        naive = datetime.strptime((raw or "").strip(), HELD_AT_FORMAT)
    except ValueError:
        raise InvalidInput("Enter when the training took place, as a date and a time.", field="held_at") from None
    if naive.year < 2000:
        raise InvalidInput("Enter when the training took place, as a date and a time.", field="held_at")
    return naive.replace(tzinfo=local_zone())


def _render_blocked(assignment_id: int, *, error: str | None = None, status: int = 200,
                    one_form: OneOnOneForm | None = None, decide_form: DecideForm | None = None):
    db_session = get_db_session()
    a = services.get_assignment(db_session, current_user, assignment_id)
    services.check_review(current_user, a.user)
    decide_form = decide_form or DecideForm(formdata=None)
    decide_form.outcome.choices = list(services.DECISION_LABELS.items())
    return render_template(
        "practice_cases/blocked.html", a=a, error=error, one_form=one_form or OneOnOneForm(formdata=None),
        decide_form=decide_form, trainings=services.one_on_ones(db_session, a),
        decisions=services.decisions_of(db_session, a), labels=services.DECISION_LABELS,
        may_decide=Role.LEAD_ADMIN in current_user.roles, limit=services.attempt_limit(db_session)), status


@bp.route("/blocked/<id:assignment_id>")
@require(*REVIEWERS)
def blocked(assignment_id: int):
    return _render_blocked(assignment_id)


@bp.route("/blocked/<id:assignment_id>/one-on-one", methods=["POST"])
@require(*REVIEWERS)
def one_on_one(assignment_id: int):
    form = OneOnOneForm()
    db_session = get_db_session()
    try:
        if not form.validate_on_submit():
            raise InvalidInput(" ".join(e for es in form.errors.values() for e in es) or "Check the form.")
        services.record_one_on_one(db_session, current_user, assignment_id, held_at=_held_at(form.held_at.data),
                                   trainer=form.trainer.data or "", notes=form.notes.data or "", now=utcnow(),
                                   ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        if exc.status_code != 400:
            raise
        return _render_blocked(assignment_id, error=exc.message, status=400, one_form=form)
    commit()
    flash("The one-on-one training is recorded.", "success")
    return redirect(url_for("practice_cases.blocked", assignment_id=assignment_id), 303)


@bp.route("/blocked/<id:assignment_id>/decide", methods=["POST"])
@require(Role.LEAD_ADMIN)
def decide(assignment_id: int):
    form = DecideForm()
    db_session = get_db_session()
    try:
        if not form.validate_on_submit():
            raise InvalidInput(" ".join(e for es in form.errors.values() for e in es) or "Check the form.")
        decision = services.decide(db_session, current_user, assignment_id, outcome=form.outcome.data or "",
                                   reason=form.reason.data or "", now=utcnow(), ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        if exc.status_code != 400:
            raise
        return _render_blocked(assignment_id, error=exc.message, status=400, decide_form=form)
    label = services.DECISION_LABELS[decision.outcome]
    commit()
    flash(f"Decision recorded: {label}.", "success")
    return redirect(url_for("practice_cases.blocked", assignment_id=assignment_id), 303)


# --- feedback snippets --------------------------------------------------------------------------------

def _render_snippets(*, form: SnippetForm | None = None, error: str | None = None, status: int = 200):
    return render_template("practice_cases/snippets.html", snippets=services.snippets(get_db_session()),
                           form=form or SnippetForm(formdata=None), retire_form=ActionForm(), error=error), status


@bp.route("/snippets", methods=["GET", "POST"])
@require(*SNIPPET_EDITORS)
def snippets():
    form = SnippetForm()
    if not form.is_submitted():
        return _render_snippets()
    db_session = get_db_session()
    try:
        if not form.validate_on_submit():
            raise InvalidInput(" ".join(e for es in form.errors.values() for e in es) or "Check the form.")
        services.save_snippet(db_session, current_user, element=form.element.data or "", text=form.text.data or "",
                              now=utcnow(), ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        if exc.status_code != 400:
            raise
        return _render_snippets(form=form, error=exc.message, status=400)
    commit()
    flash("The feedback snippet is saved.", "success")
    return redirect(url_for("practice_cases.snippets"), 303)


@bp.route("/snippets/<id:snippet_id>/retire", methods=["POST"])
@require(*SNIPPET_EDITORS)
def retire_snippet(snippet_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    services.retire_snippet(get_db_session(), current_user, snippet_id, now=utcnow(), ip=client_ip())
    commit()
    flash("The feedback snippet is retired; comments made with it keep their text.", "success")
    return redirect(url_for("practice_cases.snippets"), 303)
