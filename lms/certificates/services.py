"""Issue certificates of annual training, find them by code, revoke them. Services flush, never commit.

Issuing is lazy and idempotent: :func:`issue_due` runs when the person (or a staff member who may read
their training record) opens the recertification history or asks for a certificate, and issues one for
every fiscal year whose yearly requirements are met and that has none yet.  Evidence is never deleted,
so a year once complete stays complete: issuing later than the moment of completion changes nothing
but ``issued_at``, and it needs no job scanning every person.  The unique (person, fiscal year) pair
makes two requests at once issue one certificate.

Revoking: a live credential revoked, access revoked by the person's last agency, or a suspension for
a policy violation revokes every valid certificate of the person (the receivers at the end), each
with its reason in words and an audit row.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.accounts.revocations.models import RevocationNotice
from lms.accounts.sanctions import services as sanctions_services
from lms.certificates import rules
from lms.certificates.models import Certificate
from lms.core import audit, display
from lms.credentials.models import REVOKED
from lms.credentials import services as credential_services
from lms.recert import rules as recert_rules
from lms.recert import services as recert_services
from lms.recert.models import RecertSuspension
from lms.training.models import Evidence

audit.label_actions({
    "certificates.issued": "Certificate of annual training issued",
    "certificates.revoked": "Certificate of annual training revoked",
})

audit.label_detail_values("cause", {
    "credential_revoked": "Live HMIS credentials revoked",
    "access_revoked": "Access revoked by the agency",
    "suspended": "Suspended for a policy violation",
})


def _certificate_names(db_session: Session, ids: set[str]) -> dict[str, str]:
    """Name certificates in the audit log by year and person (never by their code)."""
    numbers = {int(i) for i in ids if i.isascii() and i.isdigit() and len(i) < 12}
    if not numbers:
        return {}
    return {str(cid): f"Fiscal year {fy}, {name}" for cid, fy, name in db_session.execute(
        sa.select(Certificate.id, Certificate.fiscal_year, User.full_name).join(User, User.id == Certificate.user_id)
        .where(Certificate.id.in_(numbers)))}


audit.name_targets("certificate", _certificate_names, "Certificate")

#: Attempts at a fresh code when one collides (60 random bits: a collision is all but impossible).
_CODE_ATTEMPTS = 5


# --- reading ----------------------------------------------------------------------------------------

# The reads of every recertification page (built once, at first use: a statement keeps its cache key).
@functools.cache
def _certificates_of() -> sa.Select:
    return sa.select(Certificate).where(Certificate.user_id == sa.bindparam("user_id"))


@functools.cache
def _evidence_years() -> sa.Select:
    return sa.select(Evidence.fiscal_year, Evidence.requirement).where(
        Evidence.user_id == sa.bindparam("user_id"), Evidence.requirement.in_(recert_rules.REQUIREMENTS)).distinct()


def certificates_of(db_session: Session, user: User) -> dict[int, Certificate]:
    """Return ``user``'s certificates by fiscal year."""
    return {c.fiscal_year: c for c in db_session.execute(_certificates_of(), {"user_id": user.id}).scalars()}


def certificate_for(db_session: Session, user: User, fiscal_year: int) -> Certificate | None:
    return db_session.execute(sa.select(Certificate).where(
        Certificate.user_id == user.id, Certificate.fiscal_year == fiscal_year)).scalar_one_or_none()


def find_by_code(db_session: Session, typed: str | None) -> Certificate | None:
    """Return the certificate a typed or scanned code names, or None (a malformed code is never queried)."""
    code = rules.normalize_code(typed)
    if code is None:
        return None
    return db_session.execute(sa.select(Certificate).where(Certificate.code == code)).scalar_one_or_none()


# --- issuing ----------------------------------------------------------------------------------------

def _completed_years(db_session: Session, user: User, *, now: datetime) -> dict[int, list[tuple[str, datetime]]]:
    """Return each fiscal year whose yearly requirements ``user`` has all met, with (label, when) of each.

    Read through the recertification history, so a certificate exists exactly for the years the
    history page shows complete (carry-over windows included).
    """
    return {y.fiscal_year: [(label, when) for label, when in y.requirements]
            for y in recert_services.history(db_session, user, now=now)
            if y.requirements and all(when is not None for _, when in y.requirements)}


def refusals_now(db_session: Session, user: User, *, now: datetime) -> list[str]:
    """Return why no certificate may be issued to ``user`` now, whatever the year (empty: it may)."""
    credentials = credential_services.credentials_of(db_session, user)
    revoked_notice = db_session.execute(sa.select(RevocationNotice.id).where(
        RevocationNotice.user_id == user.id, RevocationNotice.applied_at.is_not(None)).limit(1)).first()
    return rules.issue_refusals(
        complete=True, active=user.is_active,
        sanctioned=sanctions_services.is_suspended(db_session, user, now),
        credential_revoked=bool(credentials) and credentials[0].status == REVOKED,
        access_revoked=revoked_notice is not None and not user.active_memberships)


def _add(db_session: Session, user: User, fiscal_year: int, completed_at: datetime, *,
         now: datetime) -> tuple[Certificate, bool]:
    """Insert the certificate of ``fiscal_year``; return it and whether this call made it."""
    for _ in range(_CODE_ATTEMPTS):
        certificate = Certificate(user_id=user.id, fiscal_year=fiscal_year, code=rules.new_code(),
                                  issued_at=now, completed_at=completed_at)
        try:
            with db_session.begin_nested():
                db_session.add(certificate)
        except IntegrityError:
            existing = certificate_for(db_session, user, fiscal_year)
            if existing is not None:  # another request issued it first
                return existing, False
            continue  # the code collided: draw another
        return certificate, True
    raise RuntimeError("could not draw an unused certificate code")


def may_be_due(db_session: Session, user: User, have: set[int]) -> bool:
    """Tell cheaply (one query) whether some year of ``user``'s may be complete without a certificate.

    A year may be complete when the yearly requirements all have evidence of that year or of the year
    before (the carry-over window); :func:`issue_due` then decides exactly.  Pages call this first so that
    opening them costs one query when nothing is due, which is almost always.
    """
    by_year: dict[int, set[str]] = {}
    for fy, requirement in db_session.execute(_evidence_years(), {"user_id": user.id}):
        by_year.setdefault(fy, set()).add(requirement)
    needed = set(recert_rules.REQUIREMENTS)
    return any(needed <= by_year.get(fy, set()) | by_year.get(fy - 1, set())
               for fy in ({y for y in by_year} | {y + 1 for y in by_year}) - have)


def issue_due(db_session: Session, user: User, *, now: datetime) -> list[Certificate]:
    """Issue a certificate for every completed fiscal year of ``user``'s that has none; return the new ones.

    Safe to repeat and to run in two requests at once.  Nothing is issued while :func:`refusals_now`
    gives a reason (see :func:`lms.certificates.rules.issue_refusals` for why).
    """
    have = set(db_session.execute(sa.select(Certificate.fiscal_year).where(Certificate.user_id == user.id)).scalars())
    due = {fy: reqs for fy, reqs in _completed_years(db_session, user, now=now).items() if fy not in have}
    if not due or refusals_now(db_session, user, now=now):
        return []
    issued = []
    for fy in sorted(due):
        certificate, new = _add(db_session, user, fy, max(when for _, when in due[fy]), now=now)
        if new:
            audit.record(db_session, action="certificates.issued", now=now, target=certificate, user_id=user.id,
                         fiscal_year=fy)
            issued.append(certificate)
    db_session.flush()
    return issued


def requirements_met(db_session: Session, user: User, fiscal_year: int, *,
                     now: datetime) -> list[tuple[str, datetime]]:
    """Return (requirement label, when met) of ``fiscal_year`` for the certificate's face."""
    return _completed_years(db_session, user, now=now).get(fiscal_year, [])


# --- revoking ---------------------------------------------------------------------------------------

def revoke_all(db_session: Session, user: User, *, reason: str, cause: str, now: datetime,
               actor: User | None = None) -> int:
    """Revoke every valid certificate of ``user``'s, saying why; return how many (safe to repeat)."""
    count = 0
    for certificate in db_session.execute(sa.select(Certificate).where(
            Certificate.user_id == user.id, Certificate.revoked_at.is_(None)).order_by(Certificate.fiscal_year)).scalars():
        revoked = db_session.execute(
            sa.update(Certificate).where(Certificate.id == certificate.id, Certificate.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason[:500]).execution_options(synchronize_session=False)).rowcount
        if not revoked:
            continue
        db_session.refresh(certificate)
        audit.record(db_session, action="certificates.revoked", now=now, actor=actor, target=certificate,
                     user_id=user.id, fiscal_year=certificate.fiscal_year, cause=cause, reason=reason[:500])
        count += 1
    return count


def _on(db_session: Session, moment: datetime) -> str:
    return display.format_date(moment, display.zone_named(recert_services.zone_name(db_session)))


def revoke_on_credential_revoked(db_session: Session, *, credential: Any, now: datetime, **_: object) -> int:
    """Receiver of ``lms.credentials.signals.credential_revoked``: the person's certificates go with them."""
    user = db_session.get(User, credential.user_id)
    return revoke_all(db_session, user, cause="credential_revoked", now=now, actor=credential.revoked_by,
                      reason=f"Live HMIS credentials revoked on {_on(db_session, now)}: {credential.revoke_reason}")


def revoke_on_access_revoked(db_session: Session, *, user: User, agency: Any, notice: Any, now: datetime,
                             **_: object) -> int:
    """Receiver of ``lms.core.signals.access_revoked``: a person whose last agency revoked their access loses
    their certificates; one who still works for another agency keeps them, as they keep their live
    credentials (the training they attest is theirs, and that agency relies on it)."""
    if user.active_memberships:
        return 0
    return revoke_all(db_session, user, cause="access_revoked", now=now,
                      reason=f"HMIS access revoked by {agency.name} on {_on(db_session, now)} (revocation notice {notice.id}).")


def revoke_on_suspended(db_session: Session, *, user: User, suspension: Any, now: datetime, **_: object) -> int:
    """Receiver of ``lms.core.signals.user_suspended``: a suspension for a policy violation revokes them.

    A suspension for a missed recertification does not: it says a later year's training is missing,
    nothing against the years already certified (and completing it lifts the suspension).
    """
    if isinstance(suspension, RecertSuspension):
        return 0
    return revoke_all(db_session, user, cause="suspended", now=now,
                      reason=f"HMIS access suspended on {_on(db_session, now)} for a policy violation (Compliance and Sanctions).")
