"""Sign in, second factor, enrolment, sign out, password change and reset."""

from __future__ import annotations

import segno
from flask import (Blueprint, Flask, current_app, flash, redirect, render_template, request, session,
                   url_for)

from lms.auth import rules, services
from lms.auth.forms import ChangePasswordForm, CodeForm, EnrolForm, ForgotForm, LoginForm, ResetPasswordForm
from lms.core import audit
from lms.core.clock import utcnow
from lms.core.db import get_database, get_db_session
from lms.core.errors import DomainError
from lms.core.mail import dispatch_pending
from lms.core.security import limiter
from lms.auth import web
from lms.auth.web import session_row
from lms.core.web import client_ip, commit, current_session, public

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")


def _hashing():
    return current_app.extensions["lms.passwords"]


def _safe_next(target: str | None) -> str | None:
    """Accept only a path on this site as a post-sign-in destination (no open redirects)."""
    return rules.safe_next_path(target)


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _begin(sign_in: services.SignIn) -> None:
    # A new cookie session at sign-in: nothing from before (fixation) survives.
    nxt = session.get("next")
    session.clear()
    session["sid"] = sign_in.token
    if nxt:
        session["next"] = nxt
    session.permanent = True


def _renew(us) -> None:
    """Give the session a new id at a change of privilege (the old cookie stops working)."""
    session["sid"] = services.renew_session(get_db_session(), us)


def _locked_out(exc: DomainError):
    """The account locked during this request: its sessions ended; say why on the sign-in page."""
    commit()
    session.clear()
    flash(exc.message, "error")
    return redirect(url_for("auth.login"), 303)


def _after_full_sign_in():
    nxt = _safe_next(session.pop("next", None))
    return redirect(nxt or url_for("core.index"), 303)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def login():
    if current_session() is not None and current_session().mfa_passed:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if request.method == "GET" and _safe_next(request.args.get("next")):
        session["next"] = request.args["next"]
    if form.validate_on_submit():
        db_session = get_db_session()
        try:
            sign_in = services.authenticate(db_session, _hashing(), email=form.email.data, password=form.password.data,
                                            now=utcnow(), ip=client_ip(), user_agent=request.user_agent.string)
        except services.LoginFailed as exc:
            commit()  # the failure count and audit row must stick
            form.password.errors.append(exc.message)
            return render_template("auth/login.html", form=form), 401
        except (services.Throttled, services.AccountLocked) as exc:
            commit()
            flash(exc.message, "error")
            return render_template("auth/login.html", form=form), exc.status_code
        commit()
        _begin(sign_in)
        if not sign_in.session.mfa_passed:
            return redirect(url_for("auth.mfa" if sign_in.user.totp_enrolled else "auth.enrol_totp"), 303)
        return _after_full_sign_in()
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


def _halfway_session():
    us = session_row()
    if us is None:
        flash("Please sign in first.", "info")
        return None
    return us


@bp.route("/mfa", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def mfa():
    us = _halfway_session()
    if us is None:
        return redirect(url_for("auth.login"))
    if us.mfa_passed:
        return redirect(url_for("core.index"))
    if not us.user.totp_enrolled:
        return redirect(url_for("auth.enrol_totp"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            services.verify_second_factor(get_db_session(), us, form.code.data, now=utcnow(), ip=client_ip())
        except services.AccountLocked as exc:
            return _locked_out(exc)
        except DomainError as exc:
            commit()  # the failure count and audit row must stick
            form.code.errors.append(exc.message)
            return render_template("auth/mfa.html", form=form), exc.status_code
        _renew(us)
        commit()
        return _after_full_sign_in()
    return render_template("auth/mfa.html", form=form), (400 if form.errors else 200)


@bp.route("/enrol", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def enrol_totp():
    us = _halfway_session()
    if us is None:
        return redirect(url_for("auth.login"))
    user = us.user
    if user.totp_enrolled:
        return redirect(url_for("core.index" if us.mfa_passed else "auth.mfa"))
    db_session = get_db_session()
    secret = services.begin_totp_enrolment(db_session, user)
    commit()
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = services.confirm_totp_enrolment(db_session, us, form.code.data, now=utcnow(), ip=client_ip())
        except services.AccountLocked as exc:
            return _locked_out(exc)
        except DomainError as exc:
            form.code.errors.append(exc.message)
        else:
            _renew(us)
            commit()
            return render_template("auth/recovery_codes.html", codes=codes)
    uri = services.provisioning_uri(secret, user.email, current_app.config["TOTP_ISSUER"])
    qr_svg = segno.make(uri, error="m").svg_data_uri(scale=5, dark="#1b1b1b", light="#ffffff")
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return render_template("auth/enrol.html", form=form, qr_svg=qr_svg, secret=grouped,
                           staff=user.is_staff), (400 if form.errors else 200)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    us = session_row()
    if us is not None:
        db_session = get_db_session()
        services.end_session(db_session, us, reason="logout", now=utcnow())
        audit.record(db_session, action="auth.logout", now=utcnow(), actor=us.user, target=us.user, ip=client_ip())
        commit()
    session.clear()
    flash("You are signed out.", "success")
    return redirect(url_for("auth.login"), 303)


@bp.route("/password", methods=["GET", "POST"])
@public
def change_password():
    us = session_row()
    if us is None:
        return redirect(url_for("auth.login"))
    if not us.mfa_passed:
        # The password alone must not be enough to change it: the second factor comes first.
        return redirect(url_for("auth.mfa" if us.user.totp_enrolled else "auth.enrol_totp"))
    form = ChangePasswordForm()
    problems: list[str] = []
    status = 200
    if form.validate_on_submit():
        try:
            services.change_password(get_db_session(), _hashing(), us, current=form.current_password.data,
                                     new=form.new_password.data, now=utcnow(), ip=client_ip())
        except services.AccountLocked as exc:
            return _locked_out(exc)
        except DomainError as exc:
            commit()  # nothing changed but the failure count, its audit row and the session touch
            problems = _beside_field(form, exc)
            status = exc.status_code
        else:
            _renew(us)
            commit()
            flash("Your password has been changed. Any other session was signed out.", "success")
            return redirect(url_for("core.index"), 303)
    if status == 200 and form.errors:
        status = 400
    return render_template("auth/change_password.html", form=form, problems=problems,
                           forced=us.user.must_change_password), status


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        request_id = services.request_password_reset(get_db_session(), form.email.data, now=utcnow(),
                                                     ip=client_ip())
        commit()
        flash("If that address belongs to an account, we have e-mailed it a link to reset the password.", "info")
        response = redirect(url_for("auth.login"), 303)
        # The look-up, the link and the mail happen once the answer has gone (the job catches any left over).
        app = current_app._get_current_object()
        response.call_on_close(lambda: send_reset_links(app, [request_id]))
        return response
    return render_template("auth/forgot.html", form=form), (400 if form.errors else 200)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def reset(token: str):
    db_session = get_db_session()
    if services.find_reset_token(db_session, token, now=utcnow()) is None:
        flash("This reset link has expired or has been used. Ask for a new one below.", "error")
        return redirect(url_for("auth.forgot"), 303)
    form = ResetPasswordForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            services.reset_password(db_session, _hashing(), token, form.new_password.data, now=utcnow(), ip=client_ip())
        except DomainError as exc:
            problems = _beside_field(form, exc)
        else:
            commit()
            session.clear()
            flash("Your password has been reset. Please sign in.", "success")
            return redirect(url_for("auth.login"), 303)
    return render_template("auth/reset.html", form=form, problems=problems), (400 if problems or form.errors else 200)


def _beside_field(form, exc: DomainError) -> list[str]:
    """Show a service's error beside its field (a weak password: beside the new one); return what is left."""
    messages = exc.reasons or [exc.message]
    name = exc.field or ("new_password" if isinstance(exc, services.WeakPassword) else None)
    if name and name in form:
        form[name].errors = [*form[name].errors, *messages]
        return []
    return messages


def send_reset_links(app: Flask, ids: list[int] | None = None) -> None:
    """Send the links of waiting reset requests, outside any request (after the response)."""
    with app.app_context():
        db_session = get_database(app).session()
        try:
            due = services.send_reset_links(db_session, now=utcnow(), base_url=app.config["BASE_URL"], ids=ids)
            db_session.commit()
            if due:
                dispatch_pending(db_session, app.config, now=utcnow(), ids=due)
        except Exception:  # noqa: BLE001 - the auth.send_reset_links job retries what is left
            app.logger.exception("sending reset links after the response failed; the job will retry")
            db_session.rollback()
        finally:
            db_session.close()


def init_app(app: Flask) -> None:
    from lms.auth import jobs  # noqa: F401 - registers the auth jobs

    web.init_app(app)
    app.register_blueprint(bp)
