"""``/api/v1/``: JSON for an HMIS Lead's own systems, with bearer tokens; and the administrators' token pages.

API calls never use the cookie session (a signed-in browser cannot call the API, so
CSRF does not apply): each needs ``Authorization: Bearer <token>`` with the scope the
call declares.  Errors are JSON ``{"error", "detail"}`` with the right 4xx status.
Every call, answered or refused, leaves an audit row.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from flask import (Blueprint, Flask, current_app, flash, g, jsonify, redirect, render_template, request,
                   url_for)
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from lms.api import openapi, rules, services
from lms.api.forms import TokenForm
from lms.api.models import ApiToken
from lms.core import audit
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import DomainError
from lms.core.roles import Role
from lms.core.security import limiter
from lms.core.web import (ACCESS_ATTR, COOKIELESS_ATTR, JSON_ATTR, NavItem, add_navigation, client_ip, commit,
                          get_or_404, public, require)
from lms.orgs.models import Agency, Coc
from lms.training import rules as training_rules

api = Blueprint("api", __name__, url_prefix="/api/v1")
tokens_bp = Blueprint("api_tokens", __name__, url_prefix="/admin/api-tokens", template_folder="templates")

#: Who creates and revokes API tokens.
TOKEN_ADMINS = frozenset({Role.LEAD_ADMIN, Role.SYSADMIN})


def _zone() -> str:
    return current_app.config.get("TIME_ZONE") or training_rules.DEFAULT_ZONE


def _api_limit() -> str:
    return current_app.config.get("RATELIMIT_API", "300 per minute")


def _token_key() -> str:
    secret = rules.bearer_secret(request.headers.get("Authorization"))
    return "api-token:" + (rules.hash_secret(secret)[:16] if secret else (request.remote_addr or "-"))


def error(status: int, title: str, detail: str, reasons: list[str] | None = None):
    body: dict[str, Any] = {"error": title, "detail": detail}
    if reasons:
        body["reasons"] = reasons
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
          409: "Conflict", 413: "Too large", 415: "Unsupported media type", 429: "Too many requests"}


def token_call(scope: str, *, json_body: bool = False) -> Callable:
    """Let a call through with an active token holding ``scope``; answer JSON errors otherwise.

    ``json_body``: the call takes a JSON body (the request guard refuses JSON everywhere else).
    """

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            db_session = get_db_session()
            try:
                token = services.authenticate(db_session, request.headers.get("Authorization"), now=utcnow())
                g.api_token = token
                services.require_scope(token, scope)
                response = view(token, *args, **kwargs)
                commit()
                return response
            except DomainError as exc:
                db_session.rollback()
                return error(exc.status_code, TITLES.get(exc.status_code, "Error"), exc.message, exc.reasons)

        setattr(wrapper, ACCESS_ATTR, f"token:{scope}")
        setattr(wrapper, COOKIELESS_ATTR, True)
        setattr(wrapper, JSON_ATTR, json_body)
        return wrapper

    return decorator


# --- the calls ---------------------------------------------------------------------------------------

@api.route("/openapi.json")
@public
def openapi_document():
    return jsonify(openapi.document(url_for("api.openapi_document", _external=False).rsplit("/", 1)[0]))


@api.route("/people/<id:person_id>")
@limiter.limit(_api_limit, key_func=_token_key)
@token_call("people:read")
def person(token: ApiToken, person_id: int):
    db_session = get_db_session()
    found = services.person_in_reach(db_session, token, person_id)
    return jsonify(services.person_status(db_session, found, now=utcnow(), zone=_zone()))


@api.route("/recertification/<id:fiscal_year>")
@limiter.limit(_api_limit, key_func=_token_key)
@token_call("recert:read")
def cycle(token: ApiToken, fiscal_year: int):
    if not 2000 <= fiscal_year <= 2200:
        return error(400, "Bad request", "fiscal_year must be a year from 2000 to 2200.")
    return jsonify(services.cycle_status(get_db_session(), token, fiscal_year, now=utcnow()))


@api.route("/credentials/queue")
@limiter.limit(_api_limit, key_func=_token_key)
@token_call("credentials:read")
def credential_queue(token: ApiToken):
    return jsonify(services.credential_queue(get_db_session(), token, now=utcnow(), zone=_zone()))


@api.route("/credentials", methods=["POST"])
@limiter.limit(_api_limit, key_func=_token_key)
@token_call("credentials:write", json_body=True)
def issue_credential(token: ApiToken):
    if not request.is_json:
        return error(415, TITLES[415], "Send the body as JSON with 'Content-Type: application/json'.")
    body = request.get_json(silent=True)
    if body is None:
        return error(400, "Bad request", "The body is not valid JSON.")
    answer = services.issue_credential(get_db_session(), token, body, now=utcnow(), zone=_zone(), ip=client_ip())
    response = jsonify(answer)
    response.status_code = 201
    return response



@api.route("/revocations/due")
@limiter.limit(_api_limit, key_func=_token_key)
@token_call("revocations:read")
def revocations_due(token: ApiToken):
    from lms.accounts.revocations import services as revocations

    today = revocations.today_for(get_db_session(), utcnow())
    return jsonify({"revocations": services.revocations_due(get_db_session(), token, today=today)})


@api.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return error(exc.code or 400, TITLES.get(exc.code or 400, exc.name), exc.description or exc.name)


def _audit_call(response):
    """Audit every call of the API (answered or refused), never the secret."""
    if not request.path.startswith(api.url_prefix + "/") or request.endpoint == "api.openapi_document":
        return response
    db_session = get_db_session()
    db_session.rollback()  # whatever a refused call began is not kept; an answered one was committed
    token = g.get("api_token")
    audit.record(db_session, action="api.call" if response.status_code < 400 else "api.refused", now=utcnow(),
                 actor=getattr(token, "created_by_id", None), target_type="api_token" if token else None,
                 target_id=getattr(token, "id", None), ip=client_ip(), method=request.method,
                 path=request.path[:200], status=response.status_code)
    commit(db_session)
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the administrators' token pages -----------------------------------------------------------------

def _form_choices(form: TokenForm) -> None:
    db_session = get_db_session()
    form.coc_ids.choices = [(c.id, f"{c.code} {c.name}") for c in db_session.query(Coc).order_by(Coc.code)]
    form.agency_ids.choices = [(a.id, a.name) for a in db_session.query(Agency).order_by(Agency.name)]


@tokens_bp.route("/")
@require(*TOKEN_ADMINS)
def tokens():
    return render_template("api/tokens.html", tokens=services.tokens(get_db_session()), scopes=rules.SCOPES)


@tokens_bp.route("/new", methods=["GET", "POST"])
@require(*TOKEN_ADMINS)
def new_token():
    form = TokenForm()
    _form_choices(form)
    if request.method == "GET":
        return render_template("api/new_token.html", form=form, scopes=rules.SCOPES)
    valid = form.validate_on_submit()
    # Every problem at once, each beside its own field (the service checks the same rules again).
    for field, problems in ((form.name, rules.name_problems(form.name.data or "") if not form.name.errors else []),
                            (form.scopes, rules.scope_problems(form.scopes.data or [])),
                            (form.coc_ids, rules.reach_problems(form.all_organisations.data, form.coc_ids.data or [],
                                                                form.agency_ids.data or [])
                             if not (form.coc_ids.errors or form.agency_ids.errors) else [])):
        if problems:
            field.errors = [*field.errors, *problems]
            valid = False
    if valid:
        db_session = get_db_session()
        try:
            token, secret = services.create_token(
                db_session, name=form.name.data, scopes=form.scopes.data or [], coc_ids=form.coc_ids.data or [],
                agency_ids=form.agency_ids.data or [], all_organisations=form.all_organisations.data,
                actor=current_user, now=utcnow(), ip=client_ip())
        except DomainError as exc:
            db_session.rollback()
            field = {"name": form.name, "scopes": form.scopes}.get(exc.field or "", form.coc_ids)
            field.errors = [*field.errors, exc.message]
        else:
            commit()
            # The secret is in this answer only: stored as a hash, never flashed or audited.
            return render_template("api/token_created.html", token=token, secret=secret, scopes=rules.SCOPES)
    return render_template("api/new_token.html", form=form, scopes=rules.SCOPES), 400


@tokens_bp.route("/<id:token_id>/revoke", methods=["POST"])
@require(*TOKEN_ADMINS)
def revoke_token(token_id: int):
    db_session = get_db_session()
    token = get_or_404(db_session, ApiToken, token_id)
    try:
        services.revoke_token(db_session, token, actor=current_user, now=utcnow(), ip=client_ip())
    except DomainError as exc:
        db_session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("api_tokens.tokens"), 303)
    commit()
    flash(f"The API token “{token.name}” is revoked: calls with it are refused from now on.", "success")
    return redirect(url_for("api_tokens.tokens"), 303)


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_API", "300 per minute")
    app.register_blueprint(api)
    app.register_blueprint(tokens_bp)
    app.extensions["csrf"].exempt(api)
    app.after_request(_audit_call)
    add_navigation([NavItem("API tokens", "api_tokens.tokens", TOKEN_ADMINS)])
