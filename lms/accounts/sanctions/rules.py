"""Violations and sanctions: pure decisions, no Flask, no SQLAlchemy.

The manual (*Compliance and Sanctions*): a violation means immediate revocation pending
the HMIS Lead's review.  Once confirmed, its tier is the person's count of confirmed
violations ever (they never expire and follow the person across agencies; the type does
not matter), and a violation of law is treated as a third at once:

- 1st: suspended until the agency reports the remedy;
- 2nd: suspended 30 days, and after them until the remedy is reported;
- 3rd and later: suspended at least 30 days, and until the review panel's decision is
  recorded (a panel that terminates the license keeps the person out).

The 30 days count from the day access was first suspended (pending review): time already
spent suspended counts toward the sanction.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from lms.core.roles import ADMIN_ROLES, Role

#: Length of the tier 2 and tier 3 suspensions.
SUSPENSION_DAYS = 30
#: The tier from which a review panel decides (also a violation of law).
PANEL_TIER = 3


class Status(str, enum.Enum):
    PENDING = "pending_review"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"

    @property
    def label(self) -> str:
        return {"pending_review": "Awaiting the HMIS Lead's review", "confirmed": "Confirmed",
                "dismissed": "Dismissed"}[self.value]


class Panel(str, enum.Enum):
    RETAIN = "retain"
    TERMINATE = "terminate"

    @property
    def label(self) -> str:
        return {"retain": "Keeps the license (with training)", "terminate": "License terminated"}[self.value]


def tier_for(prior_confirmed: int, *, broke_law: bool) -> int:
    """Return a violation's tier: the person's count of confirmed violations including this one
    (``prior_confirmed`` is those before it), raised to 3 for a violation of law."""
    if prior_confirmed < 0:
        raise ValueError("prior_confirmed must not be negative")
    tier = prior_confirmed + 1
    return max(tier, PANEL_TIER) if broke_law else tier


@dataclass(frozen=True)
class Conditions:
    """What a tier's suspension waits for."""

    tier: int
    needs_remedy: bool
    min_days: int
    needs_panel: bool

    def describe(self) -> list[str]:
        """Return the conditions in words, for letters and pages."""
        out = []
        if self.min_days:
            out.append(f"at least {self.min_days} days" if self.needs_panel else f"{self.min_days} days")
        if self.needs_remedy:
            out.append("until the agency reports the action taken to remedy the violation")
        if self.needs_panel:
            out.append("until a review panel of the CoC Board Committee records its decision")
        return out


def conditions_for(tier: int) -> Conditions:
    """Return the conditions of a suspension at ``tier`` (1, 2, 3 and above)."""
    if tier < 1:
        raise ValueError("tiers start at 1")
    if tier == 1:
        return Conditions(tier=1, needs_remedy=True, min_days=0, needs_panel=False)
    if tier == 2:
        return Conditions(tier=2, needs_remedy=True, min_days=SUSPENSION_DAYS, needs_panel=False)
    return Conditions(tier=tier, needs_remedy=False, min_days=SUSPENSION_DAYS, needs_panel=True)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class SuspensionFacts:
    """What is known about one suspension."""

    status: Status
    started_at: datetime
    tier: int | None = None
    remedied: bool = False
    panel: Panel | None = None
    lifted: bool = False


@dataclass(frozen=True)
class LiftDecision:
    """Whether a suspension may be lifted now, with every reason it may not."""

    reasons: list[str] = field(default_factory=list)
    #: Earliest moment the minimum length allows (None when the tier has none).
    not_before: datetime | None = None

    @property
    def allowed(self) -> bool:
        return not self.reasons


def may_lift(facts: SuspensionFacts, now: datetime) -> LiftDecision:
    """Decide whether a suspension may be lifted at ``now``; return every unmet condition."""
    if facts.lifted:
        return LiftDecision(["This suspension has already been lifted."])
    if facts.status is Status.DISMISSED:
        return LiftDecision([])
    if facts.status is Status.PENDING:
        return LiftDecision(["The HMIS Lead has not reviewed the violation yet."])
    if facts.tier is None:
        raise ValueError("a confirmed violation has a tier")
    cond = conditions_for(facts.tier)
    reasons = []
    not_before = facts.started_at + timedelta(days=cond.min_days) if cond.min_days else None
    if not_before is not None and now < not_before:
        reasons.append(f"The {cond.min_days}-day suspension has not ended yet.")
    if cond.needs_remedy and not facts.remedied:
        reasons.append("The agency has not reported the action taken to remedy the violation.")
    if cond.needs_panel:
        if facts.panel is None:
            reasons.append("The review panel has not recorded its decision.")
        elif facts.panel is Panel.TERMINATE:
            reasons.append("The review panel decided to terminate the license.")
    return LiftDecision(reasons, not_before)


def sign_in_message(facts: SuspensionFacts, now: datetime) -> str:
    """Tell a suspended person, at sign-in, why they may not use the HMIS now."""
    if facts.status is Status.PENDING:
        why = "while the HMIS Lead reviews a reported violation of the HMIS policies"
    elif facts.panel is Panel.TERMINATE:
        return ("Your HMIS license has been terminated after a review panel's decision. "
                "Contact your agency's authorized representative.")
    else:
        why = f"for a {ordinal(facts.tier or 1)} violation of the HMIS policies"
    waits = may_lift(facts, now).reasons
    return (f"Your HMIS access is suspended {why}. " + " ".join(waits)
            + " Contact your agency's authorized representative.").replace("  ", " ")


# --- who may do what --------------------------------------------------------------------------

def in_scope(actor_roles: frozenset, actor_coc_ids: set[int], agency_coc_id: int) -> bool:
    """Tell whether staff may see an agency's violations: administrators all, an HMIS manager their CoC's."""
    return bool(actor_roles & ADMIN_ROLES) or (Role.HMIS_MANAGER in actor_roles and agency_coc_id in actor_coc_ids)


def record_refusals(*, actor_roles: frozenset, actor_coc_ids: set[int], agency_coc_id: int,
                    target_roles: frozenset, on_self: bool, was_member: bool) -> list[str]:
    """Return every reason the actor may not record a violation by the target at the agency (empty: may)."""
    reasons = []
    if not in_scope(actor_roles, actor_coc_ids, agency_coc_id):
        reasons.append("Only a system administrator, an HMIS lead administrator, or the HMIS manager of the "
                       "agency's CoC may record a violation.")
    if on_self:
        reasons.append("You cannot record a violation of your own.")
    if target_roles & ADMIN_ROLES and Role.LEAD_ADMIN not in actor_roles:
        reasons.append("Only an HMIS lead administrator may record a violation by an administrator.")
    if not was_member:
        reasons.append("This person has never had access through that agency.")
    return reasons


def remedy_refusals(*, actor_roles: frozenset, actor_coc_ids: set[int], actor_rep_agency_ids: set[int],
                    agency_id: int, agency_coc_id: int, status: Status, remedied: bool) -> list[str]:
    """Return every reason the actor may not record the agency's remedy (empty: may)."""
    reasons = []
    if not (in_scope(actor_roles, actor_coc_ids, agency_coc_id)
            or (Role.AGENCY_REP in actor_roles and agency_id in actor_rep_agency_ids)):
        reasons.append("Only the agency's authorized representative or HMIS staff may report the remedy.")
    if status is not Status.CONFIRMED:
        reasons.append("A remedy is reported once the HMIS Lead has confirmed the violation.")
    if remedied:
        reasons.append("The remedy has already been reported.")
    return reasons
