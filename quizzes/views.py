"""A course's test page, answering an attempt, its result; results per question and per person for administrators.

An attempt is its taker's: to anyone else its answer page does not exist (404).  Its
result is readable by the taker and by whoever may read the taker's training record
(``lms.training.services.may_view_training_of``).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import (Blueprint, Flask, abort, current_app, flash, jsonify, redirect, render_template, request, send_file,
                   url_for)
from flask_login import current_user

from lms.accounts.models import User
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError
from lms.core.roles import Role
from lms.core.web import (NavItem, Page, add_navigation, client_ip, commit, get_or_404, int_arg, page_arg, require,
                          search_arg, signed_in)
from lms.training import rules as training_rules
from lms.training import services as training
from quizzes import rules, services, videos, watch
from quizzes.forms import StartForm, SubmitForm

bp = Blueprint("quizzes", __name__, url_prefix="/quizzes", template_folder="templates", static_folder="static")

#: Who reads the results per question and per person.
REPORT_READERS = (Role.LEAD_ADMIN, Role.SYSADMIN)
COURSE = "<any(" + ", ".join(rules.COURSES) + "):course>"
#: Most answer fields one form may send (a test has at most 100 questions of at most 8 choices).
MAX_FIELDS = 1000


def _zone() -> str:
    return current_app.config.get("TIME_ZONE") or training_rules.DEFAULT_ZONE


@bp.route(f"/{COURSE}")
@signed_in
def course(course: str):
    db_session = get_db_session()
    now = utcnow()
    attempts = services.attempts_of(db_session, current_user, course, limit=20)
    status = next((s for s in training.checklist(db_session, current_user, now=now, zone=_zone()).statuses
                   if s.key == course), None)
    bank = services.current_bank(db_session, course)
    video = videos.video_for(course)
    return render_template(
        "quizzes/course.html", course=course, title=services.COURSE_TITLES[course], bank=bank, attempts=attempts,
        running=services.open_attempt(attempts, now), wait_until=services.next_start(db_session, attempts, now),
        status=status, form=StartForm(), pass_mark=services.pass_mark(db_session, course),
        questions=min(services.settings.get(db_session, "quizzes.questions_per_attempt"),
                      len(bank.questions) if bank else 0),
        minutes=services.settings.get(db_session, "quizzes.time_limit_minutes"),
        video=video, progress=videos.progress(db_session, current_user.id, video) if video else None,
        unlock_percent=services.settings.get(db_session, "quizzes.video_unlock_percent"),
        max_rate=services.settings.get(db_session, "quizzes.video_max_playback_rate"))


@bp.route(f"/{COURSE}/start", methods=["POST"])
@signed_in
def start(course: str):
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    db_session = get_db_session()
    try:
        attempt, created = services.start_attempt(db_session, current_user, course, now=utcnow(), ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("quizzes.course", course=course), 303)
    commit()
    if not created:
        flash("You already have this test open; here it is.", "info")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id), 303)


# --- the course video ---------------------------------------------------------------------------------

MEDIA_TYPES = {"video": "video/mp4", "captions": "text/vtt", "transcript": "text/plain"}


@bp.route(f"/{COURSE}/video/progress", methods=["POST"])
@signed_in
def video_progress(course: str):
    """Credit the interval the player has just played (posted by static/video.js): two statements."""
    video = videos.video_for(course)
    if video is None:
        return jsonify(error="This course has no video."), 404
    try:
        start, end = watch.parse_interval(request.form.get("start"), request.form.get("end"),
                                          duration=video.duration)
    except watch.BadReport as exc:
        return jsonify(error=str(exc)), 400
    db_session = get_db_session()
    try:
        progress = videos.report(db_session, current_user.id, video, start, end, now=utcnow())
        commit()
    except sa.exc.IntegrityError:  # the first two reports at once: the other one was saved
        db_session.rollback()
        return jsonify(error="Another report was saved at the same moment; this one is skipped."), 409
    return jsonify(percent=progress.percent, unlocked=progress.unlocked)


@bp.route(f"/{COURSE}/media/<any(video, captions, transcript):kind>")
@signed_in
def media(course: str, kind: str):
    """Send the course's video, captions or transcript, with Range support; behind nginx, hand it over."""
    video = videos.video_for(course)
    if video is None:
        abort(404)
    name = video.files[kind]  # names come from the manifest, never from the request
    prefix = current_app.config.get("VIDEO_ACCEL_REDIRECT")
    if prefix:
        response = current_app.response_class(mimetype=MEDIA_TYPES[kind])
        response.headers["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + name
    else:
        response = send_file(videos.MEDIA_DIR / name, mimetype=MEDIA_TYPES[kind], conditional=True,
                             max_age=3600)
    # Private: only signed-in people may have it; URLs carry the file's hash, so a new video is fetched anew.
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def _own_attempt(attempt_id: int):
    attempt = services.load_attempt(get_db_session(), attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)  # another person's test: do not even confirm it exists
    return attempt


def _render_attempt(attempt, *, form: SubmitForm, chosen: dict[int, set[int]] | None = None,
                    problem: str | None = None, unanswered: list[int] | None = None, status: int = 200):
    now = utcnow()
    return render_template(
        "quizzes/attempt.html", attempt=attempt, title=services.COURSE_TITLES[attempt.course], form=form,
        questions=[(aq, services.shown_choices(aq)) for aq in attempt.questions], kinds=rules.KINDS,
        expired=rules.is_expired(attempt.expires_at, now), chosen=chosen or {}, problem=problem,
        unanswered=set(unanswered or [])), status


@bp.route("/attempts/<id:attempt_id>", methods=["GET", "POST"])
@signed_in
def attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if attempt.submitted_at is not None and request.method == "GET":
        return redirect(url_for("quizzes.result", attempt_id=attempt.id), 303)
    form = SubmitForm()
    if request.method == "GET":
        return _render_attempt(attempt, form=form)
    if not form.validate_on_submit():
        abort(400)
    db_session = get_db_session()
    pairs = list(request.form.items(multi=True))[:MAX_FIELDS]
    try:
        attempt, scored = services.submit_attempt(db_session, attempt, current_user, pairs, now=utcnow(),
                                                  zone=_zone(), ip=client_ip())
    except services.AnswersRefused as exc:
        db_session.rollback()
        if exc.forged:
            abort(400)
        chosen: dict[int, set[int]] = {}
        for name, value in pairs:
            if name.startswith("q") and name[1:].isdigit() and value.isdigit():
                chosen.setdefault(int(name[1:]), set()).add(int(value))
        return _render_attempt(attempt, form=form, chosen=chosen, problem=exc.message, unanswered=exc.unanswered,
                               status=400)
    except DomainError as exc:
        db_session.rollback()
        return _render_attempt(attempt, form=form, problem=exc.message, status=exc.status_code)
    commit()
    if not scored:
        flash("This test had already been submitted; your first answers stand.", "info")
    return redirect(url_for("quizzes.result", attempt_id=attempt.id), 303)


@bp.route("/attempts/<id:attempt_id>/result")
@signed_in
def result(attempt_id: int):
    attempt = services.load_attempt(get_db_session(), attempt_id)
    if attempt is None or not training.may_view_training_of(current_user, attempt.user):
        abort(404)
    if attempt.submitted_at is None:
        if attempt.user_id == current_user.id:
            return redirect(url_for("quizzes.attempt", attempt_id=attempt.id), 303)
        abort(404)
    return render_template("quizzes/result.html", attempt=attempt, title=services.COURSE_TITLES[attempt.course],
                           questions=[(aq, services.shown_choices(aq)) for aq in attempt.questions],
                           own=attempt.user_id == current_user.id,
                           wrong=[aq.position for aq in attempt.questions if not aq.correct])


# --- administrators ----------------------------------------------------------------------------------

@bp.route("/admin/")
@require(*REPORT_READERS)
def admin_index():
    db_session = get_db_session()
    courses = [(c, services.COURSE_TITLES[c], services.banks_of(db_session, c)) for c in rules.COURSES]
    return render_template("quizzes/admin_index.html", courses=courses)


@bp.route(f"/admin/{COURSE}/questions")
@require(*REPORT_READERS)
def admin_questions(course: str):
    db_session = get_db_session()
    banks = services.banks_of(db_session, course)
    wanted = int_arg("version", maximum=100000)
    bank = next((b for b in banks if b.version == wanted), banks[0] if banks else None)
    order = request.args.get("order", "failed")
    order = order if order in services.STAT_ORDERS else "failed"
    stats = services.sort_stats(services.question_stats(db_session, bank), order) if bank else []
    return render_template("quizzes/admin_questions.html", course=course, title=services.COURSE_TITLES[course],
                           banks=banks, bank=bank, stats=stats, order=order, orders=services.STAT_ORDERS)


@bp.route("/admin/people")
@require(*REPORT_READERS)
def admin_people():
    q_text = search_arg()
    course = request.args.get("course", "")
    course = course if course in rules.COURSES else ""
    db_session = get_db_session()
    query = services.attempts_by_person_query(q_text, course or None)
    number, per_page = page_arg(), 25
    total = db_session.execute(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    rows = list(db_session.execute(query.limit(per_page).offset((number - 1) * per_page)))
    page = Page(items=rows, page=number, per_page=per_page, total=total)
    return render_template("quizzes/admin_people.html", page=page, q=q_text, course=course,
                           titles=services.COURSE_TITLES)


@bp.route("/admin/people/<id:user_id>")
@require(*REPORT_READERS)
def admin_person(user_id: int):
    db_session = get_db_session()
    person = get_or_404(db_session, User, user_id)
    return render_template("quizzes/admin_person.html", person=person,
                           attempts=services.person_attempts(db_session, person), titles=services.COURSE_TITLES)


def _requirement_link(status: training_rules.RequirementStatus, own: bool) -> tuple[str, str] | None:
    """Give the checklist's row of a course its link: the test (own, not met) or the passing result."""
    if status.met and status.source == services.EVIDENCE_SOURCE and (status.source_id or "").isdigit():
        return ("View the test result", url_for("quizzes.result", attempt_id=int(status.source_id)))
    if own and not status.met:
        return ("Watch the video and take the test" if videos.video_for(status.key) else "Take the test",
                url_for("quizzes.course", course=status.key))
    return None


def init_app(app: Flask) -> None:
    from lms.training.views import register_requirement_link

    app.register_blueprint(bp)
    for course in rules.COURSES:
        register_requirement_link(course, _requirement_link)
    add_navigation([NavItem("Test results", "quizzes.admin_index", frozenset(REPORT_READERS))])
