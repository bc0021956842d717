"""Written notice of a violation: the same words in the e-mail and on the printable letter.

The manual: "The End User and Partner Agency shall be notified of the violation in writing
by the HMIS Lead Agency."  Each step (recorded, confirmed, dismissed, panel decision, lifted)
mails the person and the agency's authorized representatives through the outbox.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.accounts.models import RoleGrant, User
from lms.accounts.sanctions import rules
from lms.core import display
from lms.core.mail import queue_mail
from lms.core.roles import Role

SUBJECTS = {
    "recorded": "HMIS access suspended pending review",
    "confirmed": "HMIS violation confirmed: suspension",
    "dismissed": "HMIS violation dismissed: access restored",
    "panel": "HMIS review panel decision",
    "lifted": "HMIS suspension lifted",
}


def paragraphs(v, now: datetime) -> list[str]:  # noqa: ANN001 - a Violation (models import this module's users)
    """Return the letter's body for the violation's current state, paragraph by paragraph."""
    who, agency = v.user.full_name, v.agency.name
    out = [f"This letter concerns {who} and {agency}.",
           f"On {display.format_date(v.occurred_on)} the following was reported: {v.description}"
           + (" It was reported as a violation of local, state or federal law." if v.broke_law else "")]
    status = v.status_enum
    suspension = v.suspension
    if status is rules.Status.PENDING:
        out.append(f"Under the HMIS Compliance and Sanctions policy, {who}'s HMIS access was revoked at once, "
                   "pending a formal review of the violation by the HMIS Lead Agency.")
    elif status is rules.Status.DISMISSED:
        out.append(f"The HMIS Lead reviewed the report and dismissed it: {v.review_note} "
                   f"{who}'s HMIS access is restored.")
    else:
        cond = rules.conditions_for(v.tier)
        law = " (a violation of law is handled as a third violation)" if v.broke_law and v.tier == 3 else ""
        out.append(f"The HMIS Lead reviewed the report and confirmed it as {who}'s {rules.ordinal(v.tier)} "
                   f"violation{law}: {v.review_note}")
        out.append(f"{who}'s HMIS license is suspended " + ", and ".join(cond.describe()) + ". "
                   "Violations do not expire and follow the person to every agency.")
        if v.remedied_at:
            out.append(f"On {display.format_date(v.remedied_at)} the agency reported this remedy: {v.remedy}")
        if v.panel_enum is rules.Panel.TERMINATE:
            out.append(f"The review panel decided to terminate {who}'s HMIS license: {v.panel_note}")
        elif v.panel_enum is rules.Panel.RETAIN:
            out.append(f"The review panel decided {who} keeps their license: {v.panel_note} "
                       "The HMIS Lead will provide the training needed so the violation does not recur.")
        elif cond.tier == 1:
            out.append("The HMIS Lead will provide the training needed so the violation does not continue or recur.")
    if suspension is not None and suspension.lifted_at is not None and status is rules.Status.CONFIRMED:
        out.append(f"The suspension was lifted on {display.format_date(suspension.lifted_at)}.")
    elif suspension is not None and suspension.lifted_at is None and status is rules.Status.CONFIRMED:
        waits = rules.may_lift(suspension.facts(), now).reasons
        if waits:
            out.append("The suspension continues: " + " ".join(waits))
    out.append("The violation and the actions taken to remedy it will be reported to the CoC's HMIS advisory "
               "committee at its next meeting.")
    return out


def recipients(db_session: Session, v) -> list[str]:  # noqa: ANN001
    """Return the person's address and those of the agency's authorized representatives."""
    reps = db_session.execute(
        sa.select(User.email).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == Role.AGENCY_REP.value, RoleGrant.agency_id == v.agency_id,
               RoleGrant.revoked_at.is_(None), User.is_active.is_(True)).distinct().order_by(User.email)
    ).scalars().all()
    return list(dict.fromkeys([v.user.email, *reps]))


def notify(db_session: Session, v, event: str, *, now: datetime) -> None:  # noqa: ANN001
    """Mail the person and the agency's representatives the letter for ``event``."""
    body = "\n\n".join(["HMIS Lead Agency: notice of an HMIS policy violation", *paragraphs(v, now)]) + "\n"
    for address in recipients(db_session, v):
        queue_mail(db_session, to=address, subject=SUBJECTS[event], body=body, now=now)
