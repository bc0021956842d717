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
from lms.core import settings
from lms.core.clock import utcnow
from lms.core.db import get_database, get_db_session
from lms.core.driver import driver_transaction
from lms.core.errors import DomainError
from lms.core.roles import Role
from lms.core.web import (NavItem, Page, accepts_files, add_navigation, client_ip, commit, current_user_id, get_or_404, int_arg,
                          page_arg, require, search_arg, signed_in, upload_limit)
from lms.training import rules as training_rules
from lms.training import services as training
from quizzes import content, rules, services, videos, watch
from quizzes.forms import BankForm, CourseTextForm, StartForm, SubmitForm, VideoUploadForm

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
    video = videos.video_for(course, db_session)
    info = content.course_info(db_session, course)
    return render_template(
        "quizzes/course.html", course=course, title=info.title, info=info, bank=bank, attempts=attempts,
        running=services.open_attempt(attempts, now), wait_until=services.next_start(db_session, attempts, now),
        status=status, form=StartForm(), pass_mark=services.pass_mark(db_session, course),
        questions=min(settings.get(db_session, "quizzes.questions_per_attempt"),
                      len(bank.questions) if bank else 0),
        minutes=settings.get(db_session, "quizzes.time_limit_minutes"),
        video=video, progress=videos.progress(db_session, current_user.id, video) if video else None,
        unlock_percent=settings.get(db_session, "quizzes.video_unlock_percent"),
        max_rate=settings.get(db_session, "quizzes.video_max_playback_rate"))


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
    """Credit the interval the player has just played (posted by static/video.js): two statements, and no
    ORM session (the video and the settings come from the process's copies)."""
    database = get_database()
    video = videos.video_for(course, database)
    if video is None:
        return jsonify(error="This course has no video."), 404
    try:
        start, end = watch.parse_interval(request.form.get("start"), request.form.get("end"),
                                          duration=video.duration)
    except watch.BadReport as exc:
        return jsonify(error=str(exc)), 400
    try:
        # The report's own short transaction, committed here at the edge (it is all this request writes).
        with driver_transaction(database) as tx:
            progress = videos.report(tx, database, current_user_id(), video, start, end, now=utcnow())
    except videos.ReportCollided:  # the first two reports at once: the other one was saved
        return jsonify(error="Another report was saved at the same moment; this one is skipped."), 409
    return jsonify(percent=progress.percent, unlocked=progress.unlocked)


@bp.route(f"/{COURSE}/media/<any(video, captions, transcript):kind>")
@signed_in
def media(course: str, kind: str):
    """Send the course's video, captions or transcript, with Range support; behind nginx, hand it over."""
    video = videos.video_for(course, get_db_session())
    if video is None:
        abort(404)
    name = video.files[kind]  # names come from the manifest or the database, never from the request
    # Shipped files and uploaded ones live in different folders, so nginx has a location for each.
    prefix = current_app.config.get("VIDEO_ACCEL_REDIRECT" if video.version is None else "MEDIA_ACCEL_REDIRECT")
    if prefix:
        response = current_app.response_class(mimetype=MEDIA_TYPES[kind])
        response.headers["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + name
    else:
        response = send_file(video.path(kind), mimetype=MEDIA_TYPES[kind], conditional=True, max_age=3600)
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
        "quizzes/attempt.html", attempt=attempt, title=content.course_title(get_db_session(), attempt.course), form=form,
        questions=services.shown_questions(attempt), kinds=rules.KINDS,
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
    return render_template("quizzes/result.html", attempt=attempt, title=content.course_title(get_db_session(), attempt.course),
                           questions=services.shown_questions(attempt),
                           own=attempt.user_id == current_user.id,
                           wrong=[aq.position for aq in attempt.questions if not aq.correct])


# --- administrators ----------------------------------------------------------------------------------

@bp.route("/admin/")
@require(*REPORT_READERS)
def admin_index():
    db_session = get_db_session()
    titles = content.course_titles(db_session)
    courses = [(c, titles[c], services.banks_of(db_session, c)) for c in rules.COURSES]
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
    return render_template("quizzes/admin_questions.html", course=course, title=content.course_title(get_db_session(), course),
                           banks=banks, bank=bank, stats=stats, order=order, orders=services.STAT_ORDERS)


# --- content makers: a course's video, text and question bank -------------------------------------------------

#: Who changes a course's content (the same people who read its results).
CONTENT_EDITORS = REPORT_READERS


def _video_max_bytes(config) -> int:  # noqa: ANN001
    return int(config.get("VIDEO_MAX_MB") or 200) * 1024 * 1024


def _upload_request_limit(config) -> int:  # noqa: ANN001
    """The video, plus room for the captions, the transcript and the form."""
    return _video_max_bytes(config) + rules.MAX_CAPTIONS_BYTES + rules.MAX_TRANSCRIPT_BYTES + 64 * 1024


def _base_version(form) -> int:  # noqa: ANN001
    raw = form.base_version.data or ""
    if not (raw.isascii() and raw.isdigit() and len(raw) < 7):
        abort(400)
    return int(raw)


@bp.route(f"/admin/{COURSE}/video", methods=["GET", "POST"])
@require(*CONTENT_EDITORS)
@accepts_files
@upload_limit(_upload_request_limit, "course video upload")
def admin_video(course: str):
    db_session = get_db_session()
    form, problems, status = VideoUploadForm(), [], 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        files = {k: request.files.get(k) for k in ("video", "captions", "transcript")}
        files = {k: f for k, f in files.items() if f is not None and f.filename}
        max_bytes = _video_max_bytes(current_app.config)
        captions = files["captions"].stream.read(rules.MAX_CAPTIONS_BYTES + 1) if "captions" in files else None
        transcript = (files["transcript"].stream.read(rules.MAX_TRANSCRIPT_BYTES + 1)
                      if "transcript" in files else None)
        try:
            row = content.replace_video(db_session, course, video=files["video"].stream if "video" in files else None,
                                        captions=captions, transcript=transcript, max_video_bytes=max_bytes,
                                        folder=videos.media_folder(), now=utcnow(), actor=current_user,
                                        ip=client_ip())
        except content.UploadRefused as exc:
            db_session.rollback()
            problems, status = exc.reasons, 400
        else:
            commit()
            flash(f"The course video is replaced (version {row.version}, {row.duration:.0f} seconds). People "
                  "watch the new video from the start before their next test.", "success")
            return redirect(url_for("quizzes.admin_video", course=course), 303)
    return render_template("quizzes/admin_video.html", course=course, title=content.course_title(get_db_session(), course),
                           form=form, problems=problems, video=videos.video_for(course, db_session),
                           max_mb=current_app.config.get("VIDEO_MAX_MB") or 200), status


@bp.route(f"/admin/{COURSE}/text", methods=["GET", "POST"])
@require(*CONTENT_EDITORS)
def admin_text(course: str):
    db_session = get_db_session()
    info = content.course_info(db_session, course)
    form, problems, status = CourseTextForm(), [], 200
    if request.method == "GET":
        form.title.data, form.description.data = info.title, info.description
        form.resources.data = "\n".join(f"{r.title} | {r.url}" for r in info.resources)
        form.base_version.data = str(info.version)
    else:
        valid = form.validate_on_submit()
        if "csrf_token" in form.errors:
            abort(400)
        base = _base_version(form)
        resources, problems = rules.parse_resources(form.resources.data or "")
        if valid and not problems:
            try:
                content.save_text(db_session, course, title=form.title.data.strip(),
                                  description=(form.description.data or "").strip(), resources=resources,
                                  base_version=base, now=utcnow(), actor=current_user, ip=client_ip())
            except content.StaleEdit as exc:
                db_session.rollback()
                problems, status = [exc.message], 409
            else:
                commit()
                flash("The course's description and links are saved.", "success")
                return redirect(url_for("quizzes.admin_text", course=course), 303)
        else:
            status = 400
    return render_template("quizzes/admin_text.html", course=course, title=content.course_title(get_db_session(), course),
                           form=form, problems=problems), status


@bp.route(f"/admin/{COURSE}/bank", methods=["GET", "POST"])
@require(*CONTENT_EDITORS)
def admin_bank(course: str):
    db_session = get_db_session()
    form, problems, spec, status = BankForm(), [], None, 200
    if request.method == "GET":
        form.text.data, version = content.bank_text(db_session, course)
        form.base_version.data = str(version)
    else:
        valid = form.validate_on_submit()
        if "csrf_token" in form.errors:
            abort(400)
        _base_version(form)
        publishing = request.form.get("action") == "publish"
        if valid:
            spec, problems = content.preview_bank(course, form.text.data)
        status = 400 if problems or not valid else 200
        if valid and not problems and publishing:
            try:
                bank, created = content.publish_bank(db_session, course, form.text.data,
                                                     base_version=int(form.base_version.data), now=utcnow(),
                                                     actor=current_user, ip=client_ip())
            except content.StaleEdit as exc:
                db_session.rollback()
                problems, spec, status = [exc.message], None, 409
            except sa.exc.IntegrityError:  # another tab published the same next version at the same moment
                db_session.rollback()
                problems, spec, status = ["Another version of this question bank was published at the same "
                                          "moment, so yours was not. Reload the page and make your changes "
                                          "again."], None, 409
            else:
                commit()
                flash(f"Question bank version {bank.version} is published ({len(bank.questions)} questions); new "
                      "tests draw from it, tests already started keep their version." if created else
                      "The question bank is unchanged, so no new version was published.",
                      "success" if created else "info")
                return redirect(url_for("quizzes.admin_bank", course=course), 303)
    current = services.current_bank(db_session, course)
    return render_template("quizzes/admin_bank.html", course=course, title=content.course_title(get_db_session(), course),
                           form=form, problems=problems, spec=spec, kinds=rules.KINDS, current=current,
                           current_count=len(current.questions) if current else 0), status


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
                           titles=content.course_titles(get_db_session()))


@bp.route("/admin/people/<id:user_id>")
@require(*REPORT_READERS)
def admin_person(user_id: int):
    db_session = get_db_session()
    person = get_or_404(db_session, User, user_id)
    return render_template("quizzes/admin_person.html", person=person,
                           attempts=services.person_attempts(db_session, person), titles=content.course_titles(get_db_session()))


def _requirement_link(status: training_rules.RequirementStatus, own: bool) -> tuple[str, str] | None:
    """Give the checklist's row of a course its link: the test (own, not met) or the passing result."""
    if status.met and status.source == services.EVIDENCE_SOURCE and (status.source_id or "").isdigit():
        return ("View the test result", url_for("quizzes.result", attempt_id=int(status.source_id)))
    if own and not status.met:
        return ("Watch the video and take the test" if videos.video_for(status.key, get_db_session())
                else "Take the test",
                url_for("quizzes.course", course=status.key))
    return None


def init_app(app: Flask) -> None:
    from lms.training.views import register_requirement_link

    app.register_blueprint(bp)
    for course in rules.COURSES:
        register_requirement_link(course, _requirement_link)
    add_navigation([NavItem("Test results", "quizzes.admin_index", frozenset(REPORT_READERS))])
