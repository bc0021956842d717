"""Pure training rules: fiscal years, what each requirement needs, whether it is met, and signatures.

Facts and ``now`` in, a result with every reason out; no Flask, no SQLAlchemy.
Rules read plans and evidence by attribute, so they take the ORM rows or any
object with the same attributes (tests use small dataclasses).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Iterable, Mapping, Protocol, Sequence
from zoneinfo import ZoneInfo

import lms.hud as hud

#: The HMIS Lead's zone: the local calendar date there decides the fiscal year (Missouri).
DEFAULT_ZONE = "America/Chicago"

UPRA = "upra"
SECURITY_PRIVACY = "security_privacy"
DATA_STANDARDS = "data_standards"
CS_BASICS = "cs_basics"
PRACTICE_PREFIX = "practice:"

#: The courses of the new-user series, in the order the manual lists them.
COURSES = (SECURITY_PRIVACY, DATA_STANDARDS, CS_BASICS)
#: What every user repeats at the start of each HUD fiscal year (the manual, Annual Recertification).
ANNUAL_REQUIREMENTS = frozenset({UPRA, SECURITY_PRIVACY, DATA_STANDARDS})
#: What the checklist asks of a person without a new-user plan: this year's recertification.
DEFAULT_REQUIREMENTS = (UPRA, SECURITY_PRIVACY, DATA_STANDARDS)

#: Practice-case groups: key → (label, HUD FY2026 project types, list 2.02.6, whose data entry it trains).
PRACTICE_GROUPS: dict[str, tuple[str, frozenset[int]]] = {
    "emergency_shelter": ("Emergency shelter", frozenset({hud.ES_EE, hud.ES_NBN})),
    "transitional_housing": ("Transitional housing", frozenset({hud.TH})),
    "permanent_housing": ("Permanent housing (supportive, rapid re-housing, housing only, housing with services)",
                          hud.PERMANENT_HOUSING),
    "street_outreach": ("Street outreach", frozenset({hud.SO})),
    "services_only": ("Services only, day shelter and other projects", frozenset({hud.SSO, hud.OTHER, hud.DAY})),
    "safe_haven": ("Safe haven", frozenset({hud.SH})),
    "homelessness_prevention": ("Homelessness prevention", frozenset({hud.HP})),
    "coordinated_entry": ("Coordinated entry", frozenset({hud.CE})),
}

_LABELS = {
    UPRA: "User Policy and Responsibility Agreement",
    SECURITY_PRIVACY: "Security and Privacy Awareness training",
    DATA_STANDARDS: "HMIS Data Standards training",
    CS_BASICS: "Community Services® Basics training",
}

_NEXT_STEPS = {
    UPRA: "Read the agreement, check every policy, and sign it by typing your full name.",
    SECURITY_PRIVACY: "Watch the Security and Privacy Awareness video and pass its test.",
    DATA_STANDARDS: "Watch the HMIS Data Standards video and pass its test.",
    CS_BASICS: "Watch the Community Services® Basics demonstration and pass its test.",
}

#: The only action with a page so far; the view turns it into a link.
ACTION_SIGN_UPRA = "sign_upra"

_KEY = re.compile(r"^(upra|security_privacy|data_standards|cs_basics|practice:[a-z][a-z0-9_]{0,40})$")


# --- fiscal years ---------------------------------------------------------------------------

def _zone(zone: str | ZoneInfo) -> ZoneInfo:
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)


def fiscal_year_of(moment: datetime | date, zone: str | ZoneInfo = DEFAULT_ZONE) -> int:
    """Return the HUD fiscal year of ``moment``: FY N runs from Oct 1 of N-1 to Sep 30 of N.

    An aware datetime counts by its local date in ``zone`` (11 pm in Chicago on
    September 30 is still the old year, though it is already October 1 in UTC).
    """
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("fiscal_year_of needs an aware datetime (naive times are ambiguous)")
        day = moment.astimezone(_zone(zone)).date()
    else:
        day = moment
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_year_start(fiscal_year: int, zone: str | ZoneInfo = DEFAULT_ZONE) -> datetime:
    """Return the first instant (UTC) of ``fiscal_year``: midnight of October 1 in ``zone``."""
    local = datetime.combine(date(fiscal_year - 1, 10, 1), time(), tzinfo=_zone(zone))
    return local.astimezone(timezone.utc)


def fiscal_year_label(fiscal_year: int) -> str:
    """Name a fiscal year the way a person reads it."""
    return f"fiscal year {fiscal_year} (October 1, {fiscal_year - 1} to September 30, {fiscal_year})"


# --- requirements ---------------------------------------------------------------------------

def is_requirement_key(key: str) -> bool:
    """Tell whether ``key`` names a requirement (practice groups must be known ones)."""
    if not isinstance(key, str) or not _KEY.match(key):
        return False
    return not key.startswith(PRACTICE_PREFIX) or key[len(PRACTICE_PREFIX):] in PRACTICE_GROUPS


def practice_key(group: str) -> str:
    return f"{PRACTICE_PREFIX}{group}"


def practice_groups_for(project_types: Iterable[int]) -> list[str]:
    """Return the practice-case groups that train data entry for ``project_types`` (HUD codes), in order."""
    wanted = set(project_types)
    return [group for group, (_, types) in PRACTICE_GROUPS.items() if types & wanted]


def new_user_requirements(practice_groups: Iterable[str]) -> list[str]:
    """Return the new-user series: the UPRA, the three courses, then one practice case per group."""
    groups = list(dict.fromkeys(practice_groups))
    unknown = [g for g in groups if g not in PRACTICE_GROUPS]
    if unknown:
        raise ValueError(f"unknown practice groups: {', '.join(unknown)}")
    return [UPRA, *COURSES, *(practice_key(g) for g in groups)]


def requirement_label(key: str) -> str:
    """Name a requirement in words."""
    if key.startswith(PRACTICE_PREFIX):
        group = key[len(PRACTICE_PREFIX):]
        label = PRACTICE_GROUPS.get(group, (group.replace("_", " "), frozenset()))[0]
        return f"Practice case: {label}"
    return _LABELS.get(key, key)


def _next_step(key: str) -> str:
    if key.startswith(PRACTICE_PREFIX):
        return ("Enter a practice case for this kind of project in the training sandbox, one segment at a time "
                "(Project Entry, Update, Project Exit); the helpdesk reviews each segment.")
    return _NEXT_STEPS.get(key, "Complete this requirement.")


class PlanLike(Protocol):
    requirement_keys: Sequence[str]
    evidence_not_before: datetime | None


class EvidenceLike(Protocol):
    requirement: str
    fiscal_year: int
    achieved_at: datetime


@dataclass(frozen=True)
class RequirementStatus:
    """Where one requirement stands for one person in one fiscal year."""

    key: str
    label: str
    met: bool
    #: When the evidence that counts was achieved (the latest such evidence).
    achieved_at: datetime | None
    #: True for what must be done again each fiscal year.
    annual: bool
    #: "Completed" or "Not yet completed".
    status_text: str
    #: What to do next, in words; None once met.
    next_step: str | None
    #: A page the view may link to for the next step (only ``ACTION_SIGN_UPRA`` so far), or None.
    action: str | None
    #: Why earlier evidence no longer counts, when there is some; None otherwise.
    note: str | None = None
    #: Source and source id of the evidence that counts (e.g. the signature), when met.
    source: str | None = None
    source_id: str | None = None


def requirement_status(plan: PlanLike | None, evidence: Iterable[EvidenceLike], *, now: datetime, fiscal_year: int,
                       not_before: Mapping[str, datetime] | None = None) -> list[RequirementStatus]:
    """Return the status of EVERY requirement of ``plan`` (the yearly ones when ``plan`` is None).

    Evidence counts when it was achieved by ``now``, not before the plan's
    ``evidence_not_before`` (a person who had access before repeats the whole
    series), not before ``not_before[key]`` (a new version of the agreement),
    and, for the yearly requirements, in ``fiscal_year``.
    """
    keys = list(plan.requirement_keys) if plan is not None else list(DEFAULT_REQUIREMENTS)
    series_start = plan.evidence_not_before if plan is not None else None
    not_before = dict(not_before or {})
    by_key: dict[str, list[EvidenceLike]] = {}
    for ev in evidence:
        by_key.setdefault(ev.requirement, []).append(ev)

    out = []
    for key in keys:
        annual = key in ANNUAL_REQUIREMENTS
        counting, notes = [], []
        for ev in sorted(by_key.get(key, []), key=lambda e: e.achieved_at):
            if ev.achieved_at > now:
                continue
            if series_start is not None and ev.achieved_at < series_start:
                notes.append("Training completed before your access was requested again no longer counts: "
                             "the whole series is repeated.")
            elif key in not_before and ev.achieved_at < not_before[key]:
                notes.append("A new version has been published since you completed it; "
                             "the earlier one no longer counts.")
            elif annual and ev.fiscal_year != fiscal_year:
                notes.append(f"You completed this for fiscal year {ev.fiscal_year}; it is done again each "
                             f"fiscal year, and now fiscal year {fiscal_year} needs it.")
            else:
                counting.append(ev)
        met = bool(counting)
        out.append(RequirementStatus(
            key=key, label=requirement_label(key), met=met,
            achieved_at=counting[-1].achieved_at if met else None, annual=annual,
            status_text="Completed" if met else "Not yet completed",
            next_step=None if met else _next_step(key),
            action=ACTION_SIGN_UPRA if key == UPRA and not met else None,
            note=None if met or not notes else notes[-1],
            source=getattr(counting[-1], "source", None) if met else None,
            source_id=getattr(counting[-1], "source_id", None) if met else None,
        ))
    return out


@dataclass(frozen=True)
class Progress:
    met: int
    total: int

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else round(100 * self.met / self.total)

    @property
    def complete(self) -> bool:
        return self.met == self.total


def progress(statuses: Sequence[RequirementStatus]) -> Progress:
    """Count the met requirements."""
    return Progress(met=sum(1 for s in statuses if s.met), total=len(statuses))


# --- signing the agreement ------------------------------------------------------------------

#: Unicode categories a typed name may not contain: controls (NUL ...), format (bidi overrides,
#: zero-width), surrogates, private use, unassigned, line and paragraph separators.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
MAX_NAME_LENGTH = 200


def normalise_name(name: str) -> str:
    """Fold a name for comparison: Unicode compatibility form, case folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def signature_problems(typed_name: str | None, account_name: str) -> list[str]:
    """Return every reason the typed signature is refused (empty: it matches the account's name)."""
    typed = typed_name or ""
    if any(unicodedata.category(ch) in _FORBIDDEN_CATEGORIES for ch in typed):
        return ["Your name contains a control or invisible character. Type your name using letters, "
                "spaces and punctuation only."]
    if len(typed) > MAX_NAME_LENGTH:
        return [f"Your name can be at most {MAX_NAME_LENGTH} characters long."]
    if not typed.strip():
        return ["Type your full name to sign the agreement."]
    if normalise_name(typed) != normalise_name(account_name):
        return [f"The name you typed does not match the name on your account, {account_name}. Type it as it "
                "appears there (capital letters and extra spaces do not matter). If your account's name is "
                "wrong, ask your HMIS system administrator to correct it."]
    return []


def consent_problems(policy_ids: Iterable[int], checked: Iterable[str]) -> list[str]:
    """Return every reason the policy checks are refused (empty: every policy, and only those, is checked).

    ``checked`` holds the raw values the form sent; anything that is not the id of
    a policy of this version (a forged or stale form) is refused.
    """
    required = {str(i) for i in policy_ids}
    sent = list(checked)
    problems = []
    if any(value not in required for value in sent):
        problems.append("This form does not match the current agreement. Please reload the page, read the "
                        "agreement and check each policy again.")
    missing = required - set(sent)
    if missing:
        n = len(missing)
        problems.append(f"Check every policy to confirm you have read and agree to it: {n} "
                        f"{'policy is' if n == 1 else 'policies are'} not checked.")
    return problems
