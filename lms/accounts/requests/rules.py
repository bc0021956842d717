"""Who may submit, see, decide and withdraw user access requests: pure decisions, no Flask, no SQLAlchemy.

The manual (*HMIS User Access*): a Designated Authorized Representative of the
agency submits the request, only for paid employees, supervised volunteers or
interns who need access for legitimate business purposes, limited to the projects
their work needs; the HMIS Manager assigned to the agency's CoC approves or denies
it.  (*Agency Partner Agreement*): an agency without a current, signed agreement
is not granted access, so it cannot ask for access for its people either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

SUBMITTED, APPROVED, DENIED, WITHDRAWN = "submitted", "approved", "denied", "withdrawn"
STATUSES = (SUBMITTED, APPROVED, DENIED, WITHDRAWN)
STATUS_LABELS = {SUBMITTED: "Waiting for a decision", APPROVED: "Approved", DENIED: "Denied",
                 WITHDRAWN: "Withdrawn"}

#: The only kinds of people the manual lets an agency request access for.
EMPLOYMENT_LABELS = {"employee": "Paid employee", "volunteer": "Supervised volunteer", "intern": "Intern"}

MAX_REASON = 1000
#: Invitation states.
VALID, USED, EXPIRED = "valid", "used", "expired"


@dataclass(frozen=True)
class Viewer:
    """What the rules need to know about the person asking."""

    id: int
    is_lead_admin: bool = False
    #: Agencies where the person is an authorized representative.
    rep_agency_ids: frozenset[int] = field(default_factory=frozenset)
    #: CoCs where the person is an HMIS manager.
    managed_coc_ids: frozenset[int] = field(default_factory=frozenset)


def apa_refusals(*, agency_name: str, signed_on: date | None, renewal_due: date | None, today: date) -> list[str]:
    """Return why the agency's Agency Partner Agreement does not allow a request today (empty: it does)."""
    if signed_on is None:
        return [f"{agency_name} has no signed Agency Partner Agreement on record, so it cannot request HMIS "
                "access yet. Its Executive Director must sign the agreement with the HMIS Lead first."]
    if renewal_due is not None and renewal_due < today:
        return [f"{agency_name}'s Agency Partner Agreement lapsed on {renewal_due:%B} {renewal_due.day}, "
                f"{renewal_due.year} (it must be signed again every year), so it cannot request HMIS access "
                "until the renewed agreement is recorded. Ask the HMIS Lead."]
    return []


def submit_refusals(*, agency_name: str, agency_active: bool, apa_signed_on: date | None,
                    apa_renewal_due: date | None, today: date, employment: str, project_ids: Iterable[int],
                    allowed_project_ids: Iterable[int], justification: str, open_request_exists: bool) -> list[str]:
    """Return every reason a request cannot be submitted as it is (empty: it can)."""
    reasons: list[str] = []
    if not agency_active:
        reasons.append(f"{agency_name} is no longer an active partner agency.")
    reasons += apa_refusals(agency_name=agency_name, signed_on=apa_signed_on, renewal_due=apa_renewal_due,
                            today=today)
    if employment not in EMPLOYMENT_LABELS:
        reasons.append("Choose whether the person is a paid employee, a supervised volunteer or an intern: "
                       "the HMIS Lead grants access to no one else.")
    wanted, allowed = set(project_ids), set(allowed_project_ids)
    if not wanted:
        reasons.append("Choose at least one project the person will enter data for.")
    elif wanted - allowed:
        reasons.append(f"Choose only {agency_name}'s active projects.")
    if not justification.strip():
        reasons.append("Say why the person needs HMIS access.")
    elif len(justification) > MAX_REASON:
        reasons.append(f"Keep the reason to {MAX_REASON} characters.")
    if open_request_exists:
        reasons.append(f"{agency_name} already has a request for this person waiting for a decision.")
    return reasons


def may_submit_for(viewer: Viewer, agency_id: int) -> bool:
    return agency_id in viewer.rep_agency_ids


def may_view(viewer: Viewer, *, agency_id: int, coc_id: int) -> bool:
    """Tell whether ``viewer`` may see a request of ``agency_id`` (in ``coc_id``) at all."""
    return viewer.is_lead_admin or agency_id in viewer.rep_agency_ids or coc_id in viewer.managed_coc_ids


def may_decide(viewer: Viewer, *, coc_id: int) -> bool:
    """Tell whether ``viewer`` may approve or deny a request of an agency in ``coc_id``."""
    return viewer.is_lead_admin or coc_id in viewer.managed_coc_ids


def decision_refusals(viewer: Viewer, *, coc_id: int, status: str, approve: bool, reason: str) -> list[str]:
    """Return every reason ``viewer`` cannot approve (or deny) the request now (empty: they can)."""
    reasons = []
    if not may_decide(viewer, coc_id=coc_id):
        reasons.append("Only an HMIS manager of the agency's CoC or an HMIS lead administrator decides this request.")
    if status != SUBMITTED:
        reasons.append(f"This request is no longer waiting for a decision (it is {STATUS_LABELS[status].lower()}).")
    if not approve and not reason.strip():
        reasons.append("Say why the request is denied: the agency's representative reads the reason.")
    if len(reason) > MAX_REASON:
        reasons.append(f"Keep the reason to {MAX_REASON} characters.")
    return reasons


def withdraw_refusals(viewer: Viewer, *, agency_id: int, submitted_by_id: int, status: str) -> list[str]:
    """Return why ``viewer`` cannot withdraw the request (only its submitter, while it waits)."""
    reasons = []
    if viewer.id != submitted_by_id or agency_id not in viewer.rep_agency_ids:
        reasons.append("Only the representative who submitted this request may withdraw it.")
    if status != SUBMITTED:
        reasons.append(f"This request is no longer waiting for a decision (it is {STATUS_LABELS[status].lower()}).")
    return reasons


def invitation_expires_at(now: datetime, days: int) -> datetime:
    return now + timedelta(days=days)


def invitation_state(*, expires_at: datetime, used_at: datetime | None, now: datetime) -> str:
    """Return ``valid``, ``used`` (a password was set with it, or a newer link replaced it) or ``expired``."""
    if used_at is not None:
        return USED
    if expires_at <= now:
        return EXPIRED
    return VALID


def repeats_training(*, had_access_before: bool, former_account: bool) -> bool:
    """Tell whether the person repeats the whole series (the manual: anyone who had access before).

    The agency's answer counts, and so does a former (deactivated) account with the same e-mail.
    """
    return had_access_before or former_account
