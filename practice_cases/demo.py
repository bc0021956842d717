"""What ``lms demo`` seeds for practice cases: the demo trainees' cases and a few feedback snippets (idempotent)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core.roles import Role
from lms.demo import demo_users
from practice_cases.models import FeedbackSnippet
from practice_cases.services import assign_from_plan

SNIPPETS = [
    ("Enrollment.EntryDate", "The project start date is the day the client was admitted, not the day of the "
                             "first phone call. Check the intake form's admission date."),
    ("Enrollment.RelationshipToHoH", "Every household member needs a relationship to the head of household; "
                                     "exactly one member is the head of household."),
    ("IncomeBenefits.TotalMonthlyIncome", "Total monthly income is the sum of every source's monthly amount, "
                                          "to the cent."),
    ("Exit.Destination", "Record where the client went to stay the night after leaving, as the exit "
                         "interview says."),
    ("overall", "Good work overall: correct the items listed and submit the segment again."),
]


def seed(db_session: Session, *, now: datetime) -> int:
    """Assign cases to the demo end users with a plan and add the snippets; return the cases assigned."""
    have = set(db_session.execute(sa.select(FeedbackSnippet.element, FeedbackSnippet.text)).all())
    for element, text in SNIPPETS:
        if (element, text) not in have:
            db_session.add(FeedbackSnippet(element=element, text=text, created_at=now))
    count = 0
    for user in demo_users(db_session):
        if Role.END_USER in user.roles:
            count += len(assign_from_plan(db_session, user, now=now))
    db_session.flush()
    return count
