"""Certificate pages: a person's PDF, the same for staff who may read their training, and the public check.

The recertification history page (``recert.history`` and ``recert.person``) gets each year's
certificate from :func:`_history_certificates`, and opening it issues the certificates that are due
(:func:`_issue_on_history`), so the page and the certificates never disagree.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Flask, Response, abort, current_app, g, render_template, request, url_for
from flask_login import current_user

from lms.accounts.models import User
from lms.certificates import pdf, rules, services
from lms.core import display
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.errors import NotFound
from lms.core.security import limiter
from lms.core.web import commit, get_or_404, public, require, signed_in
from lms.recert import services as recert_services
from lms.training import services as training_services
from lms.training.views import RECORD_READERS

bp = Blueprint("certificates", __name__, template_folder="templates")

#: The history pages that list certificates (and issue those due when opened).
HISTORY_PAGES = {"recert.history", "recert.person"}


def _verify_limit() -> str:
    return current_app.config["RATELIMIT_VERIFY"]


def _long_date(moment: datetime) -> str:
    zone = display.zone_named(recert_services.zone_name(get_db_session()))
    day = display.to_zone(moment, zone).date()
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def _download(person: User, fiscal_year: int) -> Response:
    db_session = get_db_session()
    now = utcnow()
    certificate = services.certificate_for(db_session, person, fiscal_year)
    if certificate is None and services.issue_due(db_session, person, now=now):
        commit(db_session)
        certificate = services.certificate_for(db_session, person, fiscal_year)
    if certificate is None:
        raise NotFound(f"There is no certificate for fiscal year {fiscal_year}: it is issued once that year's "
                       "yearly training is complete.")
    if not certificate.is_valid:
        raise NotFound(f"The certificate for fiscal year {fiscal_year} was revoked on "
                       f"{_long_date(certificate.revoked_at)}; it can no longer be downloaded.")
    face = pdf.Face(
        name=person.full_name, fiscal_year=fiscal_year, code=certificate.code,
        requirements=[(label, _long_date(when)) for label, when in
                      services.requirements_met(db_session, person, fiscal_year, now=now)],
        issued_on=_long_date(certificate.issued_at),
        verify_url=rules.verification_url(current_app.config["BASE_URL"], certificate.code))
    body = pdf.render(face, font=pdf.find_font(current_app.config.get("CERTIFICATE_FONT")))
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="hmis-training-certificate-fy{fiscal_year}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/recertification/certificates/<id:fiscal_year>.pdf")
@signed_in
def mine(fiscal_year: int):
    """The signed-in person's certificate of ``fiscal_year``, as a PDF."""
    return _download(current_user, fiscal_year)


@bp.route("/people/<id:user_id>/recertification/certificates/<id:fiscal_year>.pdf")
@require(*RECORD_READERS)
def person(user_id: int, fiscal_year: int):
    """A person's certificate, for the staff who may read their training record (others: 404)."""
    person = get_or_404(get_db_session(), User, user_id)
    if not training_services.may_view_training_of(current_user, person):
        abort(404)
    return _download(person, fiscal_year)


def _verify_page(typed: str | None):
    certificate = services.find_by_code(get_db_session(), typed) if typed else None
    status = 200 if certificate is not None or typed is None else 404
    response = current_app.make_response((render_template(
        "certificates/verify.html", typed=typed, certificate=certificate,
        revoked_on=_long_date(certificate.revoked_at) if certificate and certificate.revoked_at else None), status))
    response.headers["Cache-Control"] = "no-store"  # a certificate can be revoked at any time
    response.headers["X-Robots-Tag"] = "noindex, nofollow"  # names are for whoever holds a code, not for search engines
    return response


@bp.route("/verify")
@limiter.shared_limit(_verify_limit, scope="certificates.verify")
@public
def verify_form():
    """The public check: a form to type a code (``?code=`` shows its answer)."""
    typed = (request.args.get("code") or "").strip()
    return _verify_page(typed or None)  # an empty form shows the form again


@bp.route("/verify/<code>")
@limiter.shared_limit(_verify_limit, scope="certificates.verify")
@public
def verify(code: str):
    """The page a certificate's QR code opens: the name, the year, and valid or revoked; nothing more."""
    return _verify_page(code)


def _history_person() -> User | None:
    """Return the person a history page shows, when the signed-in person may read it (else None)."""
    if request.endpoint not in HISTORY_PAGES or not current_user.is_authenticated:
        return None
    if request.endpoint == "recert.history":
        return current_user
    person = get_db_session().get(User, (request.view_args or {}).get("user_id"))
    if (person is None or not current_user.roles & set(RECORD_READERS)
            or not training_services.may_view_training_of(current_user, person)):
        return None  # the view answers 403 or 404 itself
    return person


def _issue_on_history() -> None:
    """Before a history page: issue the certificates due to the person it shows, and commit them.

    Costs two queries when nothing is due (the certificates, kept for the page, and a look at the evidence).
    """
    person = _history_person()
    if person is None:
        return None
    db_session = get_db_session()
    have = services.certificates_of(db_session, person)
    if services.may_be_due(db_session, person, set(have)) and services.issue_due(db_session, person, now=utcnow()):
        commit(db_session)
        have = services.certificates_of(db_session, person)
    g.history_certificates = (person, have)
    return None


def _history_certificates() -> dict:
    """Give the history pages each year's certificate, its status and where to download it."""
    if "history_certificates" not in g or request.endpoint not in HISTORY_PAGES:
        return {}
    person, have = g.history_certificates
    own = person.id == current_user.id
    out = {}
    for fy, c in have.items():
        out[fy] = {"certificate": c, "code": rules.display_code(c.code),
                   "revoked_on": _long_date(c.revoked_at) if c.revoked_at else None,
                   "download": None if c.revoked_at else (
                       url_for("certificates.mine", fiscal_year=fy) if own
                       else url_for("certificates.person", user_id=person.id, fiscal_year=fy))}
    return {"year_certificates": out}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(_issue_on_history)
    app.context_processor(_history_certificates)
