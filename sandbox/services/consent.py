"""Release of information: no project data is entered for a client without consent in force."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core.errors import DomainError
from sandbox import rules
from sandbox.models import Client, ReleaseOfInformation, Workspace
from sandbox.rules import Problem, ValidationFailed


ROI_VALID_DAYS = 365


def record_roi(sdb: Session, ws: Workspace, client: Client, *, consented: bool, signed_on: date, documentation: str,
               now: datetime) -> ReleaseOfInformation:
    """Record the client's consent (or refusal) to share data; consent lasts one year."""
    if documentation not in ("signed", "verbal"):
        raise ValidationFailed([Problem("documentation", "Documentation: choose signed form or verbal consent.")])
    if signed_on > now.date():
        raise ValidationFailed([Problem("signed_on", "Date: the release cannot be signed in the future.")])
    rules.raise_if(rules.check_dates({"signed_on": signed_on}, ["signed_on"], today=now.date()))
    roi = ReleaseOfInformation(workspace_id=ws.id, PersonalID=client.PersonalID, consented=consented,
                               signed_on=signed_on, expires_on=signed_on + timedelta(days=ROI_VALID_DAYS),
                               documentation=documentation, created_at=now)
    sdb.add(roi)
    sdb.flush()
    return roi


def current_roi(sdb: Session, ws_id: int, personal_id: str, *, on: date) -> ReleaseOfInformation | None:
    """Return the newest release in force on ``on`` (a consent or a refusal), or None."""
    return sdb.execute(
        sa.select(ReleaseOfInformation)
        .where(ReleaseOfInformation.workspace_id == ws_id, ReleaseOfInformation.PersonalID == personal_id,
               ReleaseOfInformation.signed_on <= on, ReleaseOfInformation.expires_on > on)
        .order_by(ReleaseOfInformation.signed_on.desc(), ReleaseOfInformation.id.desc()).limit(1)
    ).scalar_one_or_none()


class NoConsent(DomainError):
    """Raise when data would be entered for a client without a current release of information."""


def require_roi(sdb: Session, ws_id: int, client: Client, *, on: date) -> None:
    roi = current_roi(sdb, ws_id, client.PersonalID, on=on)
    if roi is None:
        raise NoConsent(f"{client.display_name} has no current release of information. Record the client's "
                        "consent (or refusal) before entering project data, as the ROI policy requires.")
    if not roi.consented:
        raise NoConsent(f"{client.display_name} refused to share their information (release dated "
                        f"{roi.signed_on:%m/%d/%Y}). Their data must not be shared in the HMIS.")
