"""Record evidence, make training plans, publish and sign the UPRA, build the checklist. Flush, never commit."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from lms.accounts.models import User
from lms.core import audit, signals
from lms.core.errors import Conflict, InvalidInput, NotFound
from lms.core.roles import ADMIN_ROLES, Role
from lms.training import rules
from lms.training.models import Evidence, PlanRequirement, TrainingPlan, UpraPolicy, UpraSignature, UpraVersion

DATA_DIR = Path(__file__).resolve().parent / "data"
#: The ``source`` of the evidence a signature writes.
UPRA_SOURCE = "upra_signature"


audit.label_actions({
    "training.plan_started": "Training plan started",
    "training.plan_extended": "Training plan given more requirements",
    "training.upra_published": "User agreement version published",
    "training.upra_signed": "User agreement signed",
})


class UpraRefused(InvalidInput):
    """The signature was refused; ``policy_problems`` and ``name_problems`` say every reason."""

    def __init__(self, policy_problems: list[str], name_problems: list[str]) -> None:
        reasons = policy_problems + name_problems
        super().__init__(" ".join(reasons), reasons=reasons, field="full_name" if not policy_problems else "policies")
        self.policy_problems = policy_problems
        self.name_problems = name_problems


# --- the evidence ledger ---------------------------------------------------------------------

def record_evidence(db_session: Session, user: User, requirement: str, *, fiscal_year: int, achieved_at: datetime,
                    source: str, source_id: Any, now: datetime | None = None) -> Evidence:
    """Record that ``user`` met ``requirement``; the same source recorded again returns the first record."""
    if not rules.is_requirement_key(requirement):
        raise InvalidInput(f"There is no requirement called {requirement!r}.")
    if achieved_at.tzinfo is None:
        raise ValueError("achieved_at must be an aware datetime")
    source, source_id = str(source or "").strip(), str(source_id if source_id is not None else "").strip()
    if not source or not source_id or len(source) > 40 or len(source_id) > 64:
        raise InvalidInput("Evidence needs its source and the source's id.")

    def existing() -> Evidence | None:
        return db_session.execute(sa.select(Evidence).where(
            Evidence.user_id == user.id, Evidence.requirement == requirement, Evidence.source == source,
            Evidence.source_id == source_id)).scalar_one_or_none()

    found = existing()
    if found is not None:
        return found
    ev = Evidence(user_id=user.id, requirement=requirement, fiscal_year=fiscal_year, achieved_at=achieved_at,
                  source=source, source_id=source_id, recorded_at=now or achieved_at)
    try:
        with db_session.begin_nested():
            db_session.add(ev)
    except IntegrityError:  # another transaction recorded the same source first
        found = existing()
        if found is None:
            raise
        return found
    return ev


def evidence_for(db_session: Session, user: User, fiscal_year: int) -> list[Evidence]:
    """Return ``user``'s evidence of ``fiscal_year``, oldest first."""
    return list(db_session.execute(
        sa.select(Evidence).where(Evidence.user_id == user.id, Evidence.fiscal_year == fiscal_year)
        .order_by(Evidence.achieved_at, Evidence.id)).scalars())


def all_evidence(db_session: Session, user: User) -> list[Evidence]:
    """Return every piece of ``user``'s evidence, oldest first (one-time requirements count across years)."""
    return list(db_session.execute(
        sa.select(Evidence).where(Evidence.user_id == user.id).order_by(Evidence.achieved_at, Evidence.id)).scalars())


# --- training plans --------------------------------------------------------------------------

def start_plan(db_session: Session, user: User, *, practice_groups: Iterable[str], now: datetime,
               repeat: bool = False, actor: Any = None, ip: str | None = None,
               reason: str = "User access request approved") -> TrainingPlan:
    """Give ``user`` a new-user training plan: the UPRA, the three courses and a practice case per group.

    ``repeat`` (a person who had access before, or whom the HMIS Lead sends back
    to training): evidence achieved before ``now`` no longer counts for the plan.
    """
    try:
        keys = rules.new_user_requirements(practice_groups)
    except ValueError as exc:
        raise InvalidInput(f"Choose known kinds of project for the practice cases ({exc}).") from None
    plan = TrainingPlan(user_id=user.id, created_at=now, created_by_id=getattr(actor, "id", None),
                        evidence_not_before=now if repeat else None, reason=reason[:200])
    plan.requirements = [PlanRequirement(requirement=key, position=i) for i, key in enumerate(keys)]
    db_session.add(plan)
    db_session.flush()
    audit.record(db_session, action="training.plan_started", now=now, actor=actor, target=plan, ip=ip,
                 user_id=user.id, requirements=" ".join(keys), repeat=repeat)
    signals.training_plan_changed.send(db_session, user=user, plan=plan, now=now)
    return plan


def plan_demo_trainees(db_session: Session, *, now: datetime) -> int:
    """Give each demo end user without a plan one for their agencies' kinds of project; return how many."""
    from lms.demo import demo_users

    made = 0
    for user in demo_users(db_session):
        if Role.END_USER not in user.roles or current_plan(db_session, user) is not None:
            continue
        types = [p.project_type for m in user.active_memberships for p in m.agency.projects if p.is_active]
        start_plan(db_session, user, practice_groups=rules.practice_groups_for(types), now=now,
                   reason="Demo trainee")
        made += 1
    return made


def current_plan(db_session: Session, user: User) -> TrainingPlan | None:
    """Return ``user``'s latest training plan, or None."""
    return db_session.execute(
        sa.select(TrainingPlan).where(TrainingPlan.user_id == user.id)
        .order_by(TrainingPlan.created_at.desc(), TrainingPlan.id.desc()).limit(1)
        .options(selectinload(TrainingPlan.requirements))).scalar_one_or_none()


# --- the agreement's text ----------------------------------------------------------------------

def current_upra(db_session: Session, *, with_policies: bool = True) -> UpraVersion | None:
    """Return the current (highest) version of the agreement, or None before any is loaded."""
    q = sa.select(UpraVersion).order_by(UpraVersion.version.desc()).limit(1)
    if with_policies:
        q = q.options(selectinload(UpraVersion.policies))
    return db_session.execute(q).scalar_one_or_none()


def _parse_upra(raw: bytes, name: str) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{name} is not valid UTF-8 JSON: {exc}") from None
    problems = []
    if not isinstance(data, dict):
        raise InvalidInput(f"{name} must hold one JSON object.")
    if not isinstance(data.get("version"), int) or isinstance(data.get("version"), bool) or data["version"] < 1:
        problems.append("version must be a whole number from 1")
    for key, limit in (("title", 200), ("introduction", 20000)):
        if not isinstance(data.get(key), str) or not data[key].strip() or len(data[key]) > limit:
            problems.append(f"{key} must be text of at most {limit} characters")
    policies = data.get("policies")
    if not isinstance(policies, list) or not policies:
        problems.append("policies must be a non-empty list")
        policies = []
    seen: set[str] = set()
    for i, p in enumerate(policies, 1):
        if not isinstance(p, dict):
            problems.append(f"policy {i} must be an object")
            continue
        key = p.get("key")
        if not isinstance(key, str) or not key or len(key) > 64:
            problems.append(f"policy {i} needs a key of at most 64 characters")
        elif key in seen:
            problems.append(f"policy key {key!r} appears twice")
        else:
            seen.add(key)
        for field, limit in (("heading", 200), ("text", 5000)):
            if not isinstance(p.get(field), str) or not p[field].strip() or len(p[field]) > limit:
                problems.append(f"policy {i} needs {field} text of at most {limit} characters")
    if problems:
        raise InvalidInput(f"{name} is not a valid agreement: " + "; ".join(problems) + ".", reasons=problems)
    return data


def load_upra(db_session: Session, path: Path, *, now: datetime, actor: Any = None) -> tuple[UpraVersion, bool]:
    """Publish the agreement version in ``path`` unless it is already published; return (version, created).

    A published version's text never changes: loading a different text under
    the same version number is refused (give it the next number instead).
    """
    raw = Path(path).read_bytes()
    data = _parse_upra(raw, Path(path).name)
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    found = db_session.execute(sa.select(UpraVersion).where(UpraVersion.version == data["version"])).scalar_one_or_none()
    if found is not None:
        if found.content_hash != digest:
            raise Conflict(f"Version {found.version} of the agreement is already published with different text; "
                           "a published version never changes. Give the new text the next version number.")
        return found, False
    version = UpraVersion(version=data["version"], title=data["title"].strip(),
                          introduction=data["introduction"].strip(), content_hash=digest, published_at=now)
    version.policies = [UpraPolicy(key=p["key"], position=i, heading=p["heading"].strip(), text=p["text"].strip())
                        for i, p in enumerate(data["policies"])]
    db_session.add(version)
    db_session.flush()
    audit.record(db_session, action="training.upra_published", now=now, actor=actor, target=version,
                 version=version.version, policies=len(version.policies))
    return version, True


def upra_files(directory: Path = DATA_DIR) -> list[Path]:
    """Return the agreement files in ``directory`` (``upra_v<N>.json``), lowest version first."""
    files = [p for p in directory.glob("upra_v*.json") if p.stem[len("upra_v"):].isdigit()]
    return sorted(files, key=lambda p: int(p.stem[len("upra_v"):]))


def load_content(db_session: Session, *, now: datetime, directory: Path = DATA_DIR) -> list[str]:
    """Publish every agreement version shipped with the package (idempotent); return a line per file."""
    lines = []
    for path in upra_files(directory):
        version, created = load_upra(db_session, path, now=now)
        lines.append(f"{path.name}: agreement version {version.version} "
                     f"{'published' if created else 'already published, unchanged'}.")
    return lines


# --- signing ---------------------------------------------------------------------------------

def _signature_of(db_session: Session, user: User, version: UpraVersion, fiscal_year: int) -> UpraSignature | None:
    """Return ``user``'s first signature of ``version`` in ``fiscal_year`` that still counts for their plan."""
    plan = current_plan(db_session, user)
    q = sa.select(UpraSignature).where(UpraSignature.user_id == user.id, UpraSignature.version_id == version.id,
                                       UpraSignature.fiscal_year == fiscal_year)
    if plan is not None and plan.evidence_not_before is not None:
        q = q.where(UpraSignature.signed_at >= plan.evidence_not_before)
    return db_session.execute(q.order_by(UpraSignature.id).limit(1)).scalar_one_or_none()


def counting_signature(db_session: Session, user: User, *, now: datetime,
                       zone: str = rules.DEFAULT_ZONE) -> UpraSignature | None:
    """Return the signature of the current version that counts for the fiscal year of ``now``, or None."""
    version = current_upra(db_session, with_policies=False)
    if version is None:
        return None
    return _signature_of(db_session, user, version, rules.fiscal_year_of(now, zone))


def sign_upra(db_session: Session, user: User, *, version_id: int | None, checked: Iterable[str],
              typed_name: str | None, now: datetime, ip: str | None = None,
              zone: str = rules.DEFAULT_ZONE) -> tuple[UpraSignature, bool]:
    """Sign the current agreement for this fiscal year; return (signature, created).

    Refused unless ``version_id`` is the current version, every one of its
    policies (and nothing else) is checked, and ``typed_name`` is the account's
    name.  A second signature of the same version in the same fiscal year (a
    double click, two tabs) returns the first one.
    """
    # One signing at a time per person, so two tabs cannot both insert (SQLite's
    # BEGIN IMMEDIATE already serialises writers; PostgreSQL needs the row lock).
    db_session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    version = current_upra(db_session)
    if version is None:
        raise NotFound("The agreement has not been published yet. Please ask your HMIS lead administrator.")
    if version_id != version.id:
        raise Conflict("A newer version of the agreement has been published since this page was opened. "
                       "Please read the current version and sign it.")
    problems = rules.consent_problems([p.id for p in version.policies], checked)
    name_problems = rules.signature_problems(typed_name, user.full_name)
    if problems or name_problems:
        raise UpraRefused(problems, name_problems)
    fiscal_year = rules.fiscal_year_of(now, zone)
    earlier = _signature_of(db_session, user, version, fiscal_year)
    if earlier is not None:
        return earlier, False
    signature = UpraSignature(user_id=user.id, version_id=version.id, fiscal_year=fiscal_year, signed_at=now,
                              typed_name=typed_name.strip(), ip=(ip or None) and ip[:64])
    db_session.add(signature)
    db_session.flush()
    record_evidence(db_session, user, rules.UPRA, fiscal_year=fiscal_year, achieved_at=now, source=UPRA_SOURCE,
                    source_id=signature.id, now=now)
    audit.record(db_session, action="training.upra_signed", now=now, actor=user, target=signature, ip=ip,
                 version=version.version, fiscal_year=fiscal_year)
    return signature, True


def signatures_of(db_session: Session, user: User) -> list[UpraSignature]:
    """Return ``user``'s signatures, newest first."""
    return list(db_session.execute(
        sa.select(UpraSignature).where(UpraSignature.user_id == user.id)
        .order_by(UpraSignature.signed_at.desc(), UpraSignature.id.desc())
        .options(selectinload(UpraSignature.version))).scalars())


# --- who may read whose training ---------------------------------------------------------------

def may_view_training_of(viewer: User, person: User) -> bool:
    """Tell whether ``viewer`` may read ``person``'s training record and signed agreements.

    The person themself; system and HMIS lead administrators; an HMIS manager of
    a CoC where the person has a current agency membership; an agency's authorized
    representative when the person is a current member of an agency they represent
    (a former member's record is no longer theirs to read).
    """
    if viewer.id == person.id or viewer.roles & ADMIN_ROLES:
        return True
    managed = viewer.coc_ids_for(Role.HMIS_MANAGER)
    represented = viewer.agency_ids_for(Role.AGENCY_REP)
    return any(m.agency_id in represented or m.agency.coc_id in managed for m in person.active_memberships)


def training_records_query(viewer: User, search: str = "", *, represented_only: bool = False) -> sa.Select:
    """Return the query of the people whose training ``viewer`` may read (see :func:`may_view_training_of`).

    ``represented_only``: just the current members of the agencies ``viewer`` represents
    (the representative's home panel), whatever else their roles let them read.
    """
    from lms.accounts.models import AgencyMembership
    from lms.orgs.models import Agency

    q = sa.select(User).order_by(sa.func.lower(User.full_name), User.id)
    if represented_only or not viewer.roles & ADMIN_ROLES:
        managed = set() if represented_only else viewer.coc_ids_for(Role.HMIS_MANAGER)
        represented = viewer.agency_ids_for(Role.AGENCY_REP)
        scopes = []
        if managed:
            scopes.append(Agency.coc_id.in_(managed))
        if represented:
            scopes.append(AgencyMembership.agency_id.in_(represented))
        in_scope = (sa.select(AgencyMembership.user_id).join(Agency, Agency.id == AgencyMembership.agency_id)
                    .where(AgencyMembership.ended_on.is_(None), sa.or_(sa.false(), *scopes)))
        q = q.where(User.id.in_(in_scope))
    if search:
        like = f"%{search.lower()}%"
        q = q.where(sa.or_(sa.func.lower(User.full_name).like(like), sa.func.lower(User.email).like(like)))
    return q


# --- the checklist -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Checklist:
    """What one person must do in one fiscal year, and where each requirement stands."""

    fiscal_year: int
    plan: TrainingPlan | None
    statuses: list[rules.RequirementStatus]
    progress: rules.Progress
    upra: UpraVersion | None

    @property
    def next_requirement(self) -> rules.RequirementStatus | None:
        """Return the first requirement not yet met, or None when all are."""
        return next((s for s in self.statuses if not s.met), None)


def _build_checklist(plan: TrainingPlan | None, evidence: Iterable[Evidence], upra: UpraVersion | None, *,
                     now: datetime, fiscal_year: int) -> Checklist:
    not_before = {rules.UPRA: upra.published_at} if upra is not None else {}
    statuses = rules.requirement_status(plan, evidence, now=now, fiscal_year=fiscal_year, not_before=not_before)
    return Checklist(fiscal_year=fiscal_year, plan=plan, statuses=statuses, progress=rules.progress(statuses),
                     upra=upra)


def checklist(db_session: Session, user: User, *, now: datetime, zone: str = rules.DEFAULT_ZONE) -> Checklist:
    """Build ``user``'s checklist for the fiscal year of ``now`` (three queries, whatever the history)."""
    plan = current_plan(db_session, user)
    upra = current_upra(db_session, with_policies=False)
    return _build_checklist(plan, all_evidence(db_session, user), upra, now=now,
                            fiscal_year=rules.fiscal_year_of(now, zone))


def checklists(db_session: Session, users: Iterable[User], *, now: datetime,
               zone: str = rules.DEFAULT_ZONE) -> dict[int, Checklist]:
    """Build each person's checklist, by user id, in four queries whatever the number of people.

    The same checklist :func:`checklist` builds for one person: their latest plan
    (with its requirements), all their evidence, and the current agreement version.
    """
    ids = list(dict.fromkeys(u.id for u in users))
    if not ids:
        return {}
    plans: dict[int, TrainingPlan] = {}
    for plan in db_session.execute(
            sa.select(TrainingPlan).where(TrainingPlan.user_id.in_(ids))
            .order_by(TrainingPlan.created_at, TrainingPlan.id)
            .options(selectinload(TrainingPlan.requirements))).scalars():
        plans[plan.user_id] = plan  # the latest plan replaces the earlier ones
    evidence: dict[int, list[Evidence]] = {}
    for ev in db_session.execute(
            sa.select(Evidence).where(Evidence.user_id.in_(ids)).order_by(Evidence.achieved_at, Evidence.id)).scalars():
        evidence.setdefault(ev.user_id, []).append(ev)
    upra = current_upra(db_session, with_policies=False)
    fiscal_year = rules.fiscal_year_of(now, zone)
    return {uid: _build_checklist(plans.get(uid), evidence.get(uid, []), upra, now=now, fiscal_year=fiscal_year)
            for uid in ids}


def add_practice_cases(db_session: Session, user: User, practice_groups: Iterable[str], *, now: datetime,
                       actor: Any = None, ip: str | None = None, reason: str = "Projects added") -> TrainingPlan:
    """Add a practice case per group to ``user``'s current plan (a new plan when they have none); idempotent."""
    groups = list(dict.fromkeys(practice_groups))
    unknown = [g for g in groups if g not in rules.PRACTICE_GROUPS]
    if unknown:
        raise InvalidInput(f"Choose known kinds of project for the practice cases (unknown: {', '.join(unknown)}).")
    plan = current_plan(db_session, user)
    if plan is None:
        return start_plan(db_session, user, practice_groups=groups, now=now, actor=actor, ip=ip, reason=reason)
    have = set(plan.requirement_keys)
    added = [rules.practice_key(g) for g in groups if rules.practice_key(g) not in have]
    position = max((r.position for r in plan.requirements), default=-1) + 1
    for i, key in enumerate(added):
        plan.requirements.append(PlanRequirement(requirement=key, position=position + i))
    db_session.flush()
    if added:
        audit.record(db_session, action="training.plan_extended", now=now, actor=actor, target=plan, ip=ip,
                     user_id=user.id, requirements=" ".join(added), reason=reason[:200])
        signals.training_plan_changed.send(db_session, user=user, plan=plan, now=now)
    return plan
