"""Publish the User Policy and Responsibility Agreement (UPRA) from its JSON files, and sign it. Flush, never commit.

A signature is recorded in the evidence ledger (:func:`lms.training.services.ledger.record_evidence`), which
is why this module builds on the ledger and not the reverse.
"""

from __future__ import annotations

import functools
import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from lms.accounts.models import User
from lms.core import audit
from lms.core.errors import Conflict, InvalidInput, NotFound
from lms.training import rules
from lms.training.models import UpraPolicy, UpraSignature, UpraVersion
from lms.training.services.ledger import current_plan, record_evidence

DATA_DIR = Path(__file__).resolve().parents[1] / "data"  # lms/training/data
#: The ``source`` of the evidence a signature writes.
UPRA_SOURCE = "upra_signature"


class UpraRefused(InvalidInput):
    """The signature was refused; ``policy_problems`` and ``name_problems`` say every reason."""

    def __init__(self, policy_problems: list[str], name_problems: list[str]) -> None:
        reasons = policy_problems + name_problems
        super().__init__(" ".join(reasons), reasons=reasons, field="full_name" if not policy_problems else "policies")
        self.policy_problems = policy_problems
        self.name_problems = name_problems


# --- the agreement's text ----------------------------------------------------------------------

@functools.cache
def _current(with_policies: bool) -> sa.Select:
    """Built once each, at first use (every checklist reads the current version): a statement keeps its cache key."""
    q = sa.select(UpraVersion).order_by(UpraVersion.version.desc()).limit(1)
    return q.options(selectinload(UpraVersion.policies)) if with_policies else q


def current_upra(db_session: Session, *, with_policies: bool = True) -> UpraVersion | None:
    """Return the current (highest) version of the agreement, or None before any is loaded."""
    return db_session.execute(_current(with_policies)).scalar_one_or_none()


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
