"""The advisory committee's report: each violation of a CoC in a date range, and its remedy."""

from __future__ import annotations

import csv
import io
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.accounts.sanctions.models import Violation
from lms.core import display
from lms.orgs.models import Agency

COLUMNS = ("Occurred", "Person", "Agency", "CoC", "Law", "Status", "Tier", "What happened", "Review",
           "Remedy reported", "Remedy", "Panel decision", "Suspension")


def query(*, coc_ids: set[int] | None, coc_id: int | None, since: date | None, until: date | None) -> sa.Select:
    """Select the violations that happened in [since, until] at agencies of ``coc_id`` (within ``coc_ids``:
    None means every CoC the viewer may see, i.e. all for administrators)."""
    q = (sa.select(Violation).join(Agency, Agency.id == Violation.agency_id).join(User, User.id == Violation.user_id)
         .options(joinedload(Violation.user), joinedload(Violation.agency).joinedload(Agency.coc),
                  joinedload(Violation.suspension))
         .order_by(Violation.occurred_on.desc(), Violation.id.desc()))
    if coc_ids is not None:
        q = q.where(Agency.coc_id.in_(coc_ids or {-1}))
    if coc_id:
        q = q.where(Agency.coc_id == coc_id)
    if since:
        q = q.where(Violation.occurred_on >= since)
    if until:
        q = q.where(Violation.occurred_on <= until)
    return q


def suspension_state(v: Violation) -> str:
    s = v.suspension
    if s is None:
        return ""
    return f"Lifted {display.format_date(s.lifted_at)}" if s.lifted_at else "In force"


def row(v: Violation) -> list[str]:
    return [display.format_date(v.occurred_on), v.user.full_name, v.agency.name, v.agency.coc.code,
            "Yes" if v.broke_law else "No", v.status_enum.label, str(v.tier or ""), v.description,
            v.review_note or "", display.format_date(v.remedied_at), v.remedy or "",
            v.panel_enum.label if v.panel_enum else "", suspension_state(v)]


def _safe(cell: str) -> str:
    # A cell a spreadsheet would run as a formula is kept as text.
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def to_csv(violations: list[Violation]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for v in violations:
        writer.writerow([_safe(c) for c in row(v)])
    return out.getvalue()
