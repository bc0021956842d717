"""The reviewers' side: the queue (oldest first, filters, assignment) and the review page (comparison,
data-quality findings, the workspace as frozen and as now, comments, approve, return)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

import sandbox.services as sandbox
from lms.accounts.models import User
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError, InvalidInput
from lms.core.web import client_ip, commit, int_arg, paginate, require
from lms.orgs.models import Agency, Coc
from practice_cases import library, services, validate
from practice_cases.forms import ActionForm, AssignForm, CommentForm, ReturnForm
from practice_cases.models import Assignment
from practice_cases.views import REVIEWERS, age, bp, parse_id

PER_PAGE = 20


def _filters() -> dict:
    reviewer = request.args.get("reviewer", "")
    return {"coc_id": int_arg("coc"), "agency_id": int_arg("agency"),
            "case_id": request.args.get("case", "") if request.args.get("case", "") in library.cases() else None,
            "reviewer_id": 0 if reviewer == "none" else int_arg("reviewer")}


def blocked_cases(db_session, viewer) -> list[Assignment]:  # noqa: ANN001
    """The blocked cases ``viewer`` may act on (few at any time: they wait for one-on-one training)."""
    rows = db_session.execute(sa.select(Assignment).where(Assignment.status == "blocked")
                              .options(selectinload(Assignment.user)).order_by(Assignment.updated_at)).scalars()
    return [a for a in rows if services.may_review(viewer, a.user)]


def _render_queue(*, error: str | None = None, status: int = 200):
    db_session = get_db_session()
    filters = _filters()
    page = paginate(db_session, services.review_queue_query(current_user, **filters), per_page=PER_PAGE)
    return render_template(
        "practice_cases/queue.html", page=page, filters=filters, now=utcnow(), age=age, error=error,
        cocs=db_session.execute(sa.select(Coc).order_by(Coc.code)).scalars().all(),
        agencies=db_session.execute(sa.select(Agency).order_by(Agency.name)).scalars().all(),
        cases=sorted(library.cases().values(), key=lambda c: c["title"]),
        titles={c["id"]: c["title"] for c in library.cases().values()}, reviewers=services.reviewers(db_session),
        labels=services.SEGMENT_LABELS, form=AssignForm(), blocked=blocked_cases(db_session, current_user),
        ), status


@bp.route("/review/")
@require(*REVIEWERS)
def queue():
    return _render_queue()


@bp.route("/review/<id:submission_id>/assign", methods=["POST"])
@require(*REVIEWERS)
def assign(submission_id: int):
    form = AssignForm()
    if not form.validate_on_submit():
        abort(400)
    db_session = get_db_session()
    reviewer_id = parse_id(form.reviewer_id.data)
    try:
        if reviewer_id is None:
            raise InvalidInput("Choose a reviewer from the list.")
        sub = services.assign_reviewer(db_session, current_user, submission_id, reviewer_id, now=utcnow(),
                                       ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        if exc.status_code != 400:
            raise
        return _render_queue(error=exc.message, status=400)
    name = sub.reviewer.full_name if sub.reviewer else "the reviewer"
    commit()
    flash(f"The submission is now {name}'s to review.", "success")
    return redirect(url_for("practice_cases.queue"), 303)


def _render_review(submission_id: int, *, error: str | None = None, status: int = 200,
                   comment_form: CommentForm | None = None, return_form: ReturnForm | None = None):
    db_session = get_db_session()
    sub = services.get_submission(db_session, current_user, submission_id)
    services.check_review(current_user, sub.assignment.user)
    # The reviewer and the comments' authors in one query (the template then reads them from the session).
    people = {sub.reviewer_id, *(c.author_id for c in sub.comments)} - {None}
    if people:
        db_session.execute(sa.select(User).where(User.id.in_(people))).scalars().all()
    sdb = sandbox.request_session()
    ws = sandbox.workspace_for_user(sdb, sub.assignment.user_id, now=utcnow(), create=False)
    live = findings = None
    if ws is not None and sandbox.can_read(ws, current_user.id):
        live = sandbox.workspace_records(sdb, ws.id, validate.STAGE_OF[sub.segment.segment])
        # Timeliness is left out: a practice case's dates are the story's, entered today on purpose.
        findings = [f for f in sandbox.quality_findings(sdb, ws.id) if f["kind"] != "late"]
    try:
        case = services.case_of(sub.assignment)
    except DomainError:
        case = None
    snippets: dict[str, list] = {}
    for s in services.snippets(db_session):
        snippets.setdefault(s.element, []).append(s)
    fields = list(dict.fromkeys(d.get("field") for d in sub.comparison or [] if d.get("field")))
    return render_template(
        "practice_cases/review.html", sub=sub, case=case, live=live, findings=findings, error=error,
        label=services.SEGMENT_LABELS[sub.segment.segment], snippets=snippets, fields=fields,
        comment_form=comment_form or CommentForm(formdata=None), return_form=return_form or ReturnForm(formdata=None),
        action_form=ActionForm(), remaining=services.attempts_remaining(db_session, sub.assignment),
        history=services.submissions_of(db_session, current_user, sub.assignment_id), now=utcnow(), age=age), status


@bp.route("/review/<id:submission_id>")
@require(*REVIEWERS)
def review(submission_id: int):
    return _render_review(submission_id)


@bp.route("/review/<id:submission_id>/comment", methods=["POST"])
@require(*REVIEWERS)
def comment(submission_id: int):
    form = CommentForm()
    db_session = get_db_session()
    if not form.validate_on_submit():
        return _render_review(submission_id, error=" ".join(e for es in form.errors.values() for e in es),
                              status=400, comment_form=form)
    raw_snippet = (form.snippet_id.data or "").strip()
    snippet_id = parse_id(raw_snippet)
    try:
        if raw_snippet and snippet_id is None:
            raise InvalidInput("Choose a feedback snippet from the list.")
        services.comment(db_session, current_user, submission_id, text=form.text.data or "",
                         field=form.field.data or "", snippet_id=snippet_id, now=utcnow(), ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        if exc.status_code != 400:
            raise
        return _render_review(submission_id, error=exc.message, status=400, comment_form=form)
    commit()
    flash("Your comment is added.", "success")
    return redirect(url_for("practice_cases.review", submission_id=submission_id) + "#comments", 303)


@bp.route("/review/<id:submission_id>/approve", methods=["POST"])
@require(*REVIEWERS)
def approve(submission_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    db_session = get_db_session()
    try:
        sub = services.approve(db_session, current_user, submission_id, now=utcnow(), ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        if exc.status_code != 400:
            raise
        return _render_review(submission_id, error=exc.message, status=400)
    label, who = services.SEGMENT_LABELS[sub.segment.segment], sub.assignment.user.full_name
    commit()
    flash(f"{who}'s {label} segment is approved.", "success")
    return redirect(url_for("practice_cases.queue"), 303)


@bp.route("/review/<id:submission_id>/return", methods=["POST"])
@require(*REVIEWERS)
def return_submission(submission_id: int):
    form = ReturnForm()
    db_session = get_db_session()
    if not form.validate_on_submit():
        return _render_review(submission_id, error=" ".join(e for es in form.errors.values() for e in es),
                              status=400, return_form=form)
    try:
        sub = services.return_submission(db_session, current_user, submission_id, now=utcnow(),
                                         text=form.text.data or "", ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        if exc.status_code != 400:
            raise
        return _render_review(submission_id, error=exc.message, status=400, return_form=form)
    label, who, status = services.SEGMENT_LABELS[sub.segment.segment], sub.assignment.user.full_name, \
        sub.assignment.status
    commit()
    flash(f"{who}'s {label} segment is returned for corrections."
          + (" That was the last attempt: the case is blocked until one-on-one training and the HMIS Lead's "
             "decision." if status == "blocked" else ""), "success")
    return redirect(url_for("practice_cases.queue"), 303)
