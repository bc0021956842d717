"""Pure credential rules: who may be given live HMIS credentials, and what an HMIS user name may be.

Facts and ``now`` in, a result with every reason out; no Flask, no SQLAlchemy.

Multi-factor authentication: DESIGN §7 makes TOTP mandatory for every staff role,
so a person who holds one must have enrolled an authenticator app.  The manual
("Username and Password") asks of end users only a user name and a password, so
an end user who holds no staff role needs no authenticator for live credentials.

Training: the UPRA and the three courses are read with the training package's own
rule (:func:`lms.training.rules.requirement_status`), so the queue and the person's
checklist never disagree: the UPRA, Security and Privacy and Data Standards need
evidence of the current fiscal year; Community Services Basics, part of the
new-user series only, counts once for the person's current series.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Mapping, Sequence

from lms.training import rules as training_rules

#: Reason codes, in the order reasons are given; practice reasons use ``practice:<group>``.
ACCESS_REQUEST = "access_request"
ACCOUNT_INACTIVE = "account_inactive"
SUSPENDED = "suspended"
REFUSED = "refused"
MFA = "mfa"

#: Kinds of reason the issuance queue filters by: kind → label (see :func:`reason_kind`).
REASON_KINDS: dict[str, str] = {
    "access_request": "No approved access request",
    "account": "Account not active, suspended or refused",
    "mfa": "Authenticator app not set up",
    "training": "Agreement or courses not completed",
    "practice": "Practice case not approved",
}

USERNAME_MAX = 64
_USERNAME = re.compile(r"[A-Za-z0-9._-]+")


def reason_kind(code: str) -> str:
    """Return the filter kind of a reason code."""
    if code == ACCESS_REQUEST:
        return "access_request"
    if code in (ACCOUNT_INACTIVE, SUSPENDED, REFUSED):
        return "account"
    if code == MFA:
        return "mfa"
    if code.startswith(training_rules.PRACTICE_PREFIX):
        return "practice"
    return "training"


@dataclass(frozen=True)
class Answer:
    """What a package that records a fact said about one person."""

    #: The fact's value: approved request exists / is suspended / was refused.
    value: bool
    #: Words to add to the reason (e.g. "until the agency reports the remedy"); may be empty.
    detail: str = ""
    #: HUD project types of the approved request's projects (access requests only).
    project_types: tuple[int, ...] = ()


@dataclass(frozen=True)
class EvidenceFact:
    """One piece of evidence, as the rule needs it (the ORM row has the same attributes)."""

    requirement: str
    fiscal_year: int
    achieved_at: datetime


@dataclass(frozen=True)
class EligibilityFacts:
    """Everything the eligibility rule looks at for one person.

    ``approved_request``, ``suspended`` and ``refused`` are None when no part of
    the system records that fact (unknown): unknown never counts as met.
    """

    is_active: bool
    #: Labels of the staff roles the person holds (empty for an end user only).
    staff_roles: tuple[str, ...] = ()
    totp_enrolled: bool = False
    approved_request: Answer | None = None
    suspended: Answer | None = None
    refused: Answer | None = None
    #: The requirement keys of the person's current training plan (empty: no plan).
    plan_requirements: tuple[str, ...] = ()
    #: Evidence achieved before this moment does not count (the plan repeats the series).
    evidence_not_before: datetime | None = None
    evidence: tuple[EvidenceFact, ...] = ()
    #: Per requirement key, evidence before this moment does not count (a new UPRA version).
    not_before: Mapping[str, datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class Eligibility:
    """Whether live credentials may be issued, and every reason they may not (in words)."""

    eligible: bool
    reasons: list[str]
    #: One code per reason, in the same order (``access_request``, ``mfa``, ``practice:<group>`` ...).
    codes: list[str] = field(default_factory=list)

    @property
    def kinds(self) -> set[str]:
        return {reason_kind(c) for c in self.codes}


@dataclass(frozen=True)
class _Plan:
    requirement_keys: Sequence[str]
    evidence_not_before: datetime | None


def practice_groups_required(facts: EligibilityFacts) -> list[str]:
    """Return the practice groups the person needs: their plan's, and their approved request's projects'."""
    groups = [k[len(training_rules.PRACTICE_PREFIX):] for k in facts.plan_requirements
              if k.startswith(training_rules.PRACTICE_PREFIX)]
    if facts.approved_request is not None and facts.approved_request.value:
        groups += training_rules.practice_groups_for(facts.approved_request.project_types)
    return [g for g in dict.fromkeys(groups) if g in training_rules.PRACTICE_GROUPS]


def _with_detail(text: str, answer: Answer | None) -> str:
    detail = (answer.detail or "").strip() if answer is not None else ""
    return f"{text} ({detail.rstrip('.')})." if detail else f"{text}."


def live_credential_eligibility(facts: EligibilityFacts, *, now: datetime,
                                zone: str = training_rules.DEFAULT_ZONE) -> Eligibility:
    """Decide whether live HMIS credentials may be issued; return EVERY unmet reason, in words."""
    reasons: list[str] = []
    codes: list[str] = []

    def unmet(code: str, text: str) -> None:
        codes.append(code)
        reasons.append(text)

    request = facts.approved_request
    if request is None:
        unmet(ACCESS_REQUEST, "An approved user access request cannot be confirmed: this system does not record "
                              "access requests yet, so none can count.")
    elif not request.value:
        unmet(ACCESS_REQUEST, _with_detail("There is no approved user access request for this person: their "
                                           "agency's authorized representative must request access and the "
                                           "HMIS manager approve it", request))
    if not facts.is_active:
        unmet(ACCOUNT_INACTIVE, "The account is deactivated; an administrator must reactivate it first.")
    if facts.suspended is None:
        unmet(SUSPENDED, "Whether this person is suspended cannot be confirmed: this system does not record "
                         "suspensions yet.")
    elif facts.suspended.value:
        unmet(SUSPENDED, _with_detail("This person is suspended", facts.suspended))
    if facts.refused is None:
        unmet(REFUSED, "Whether the HMIS Lead has refused this person access cannot be confirmed: this system "
                       "does not record that decision yet.")
    elif facts.refused.value:
        unmet(REFUSED, _with_detail("The HMIS Lead has refused this person HMIS access", facts.refused))
    if facts.staff_roles and not facts.totp_enrolled:
        roles = ", ".join(facts.staff_roles)
        unmet(MFA, f"This person holds a staff role ({roles}) and has not set up an authenticator app; "
                   "every staff role must sign in with one.")

    keys = [training_rules.UPRA, *training_rules.COURSES,
            *(training_rules.practice_key(g) for g in practice_groups_required(facts))]
    fiscal_year = training_rules.fiscal_year_of(now, zone)
    statuses = training_rules.requirement_status(
        _Plan(keys, facts.evidence_not_before), facts.evidence, now=now, fiscal_year=fiscal_year,
        not_before=facts.not_before)
    for status in statuses:
        if status.met:
            continue
        if status.key.startswith(training_rules.PRACTICE_PREFIX):
            unmet(status.key, f"{status.label}: not yet approved by the helpdesk.")
        elif status.annual:
            unmet(status.key, f"{status.label}: not completed for fiscal year {fiscal_year}.")
        else:
            unmet(status.key, f"{status.label}: not completed.")
    return Eligibility(eligible=not reasons, reasons=reasons, codes=codes)


def username_problems(username: str | None, *, taken: bool = False) -> list[str]:
    """Return every reason ``username`` cannot be an HMIS user name (empty: acceptable)."""
    name = username or ""
    problems = []
    if not name.strip():
        return ["Enter the HMIS user name."]
    if len(name) > USERNAME_MAX:
        problems.append(f"Use at most {USERNAME_MAX} characters (this one has {len(name)}).")
    if not _USERNAME.fullmatch(name):
        problems.append("Use only letters A to Z (without accents), digits, dots (.), underscores (_) and "
                        "hyphens (-); no spaces.")
    if taken:
        problems.append(f"The HMIS user name {name} is already in use; choose another.")
    return problems


def requested_groups_label(groups: Iterable[str]) -> list[str]:
    """Name practice groups in words."""
    return [training_rules.PRACTICE_GROUPS[g][0] for g in groups if g in training_rules.PRACTICE_GROUPS]
