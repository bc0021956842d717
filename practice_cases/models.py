"""Practice-case workflow tables (LMS database): assignments, segments, submissions, reviews, decisions.

States (DESIGN §4): an assignment is ``open`` while the trainee works, ``blocked`` at the attempt
limit, ``completed`` when all three segments are approved, ``refused`` after the HMIS Lead refuses
access.  A segment is ``locked → open → submitted → approved | returned``, ``returned → submitted``.

``round`` counts the tries at a case: the Lead's ``retry`` or ``repeat_training`` starts the next
round (attempts start over); earlier rounds' submissions, comments and decisions stay.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Base
from lms.core.types import UTCDateTime

ASSIGNMENT_STATES = ("open", "blocked", "completed", "refused")
SEGMENT_STATES = ("locked", "open", "submitted", "approved", "returned")
OUTCOMES = ("approved", "returned")
DECISIONS = ("retry", "repeat_training", "refuse")


def _known(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Assignment(Base):
    """One practice case given to one person for one project-type group (one per person and group)."""

    __tablename__ = "practice_assignments"
    __audit_type__ = "practice_assignment"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "group", name="uq_practice_assignments_user_group"),
        sa.CheckConstraint(_known("status", ASSIGNMENT_STATES), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    #: A key of ``lms.training.rules.PRACTICE_GROUPS``.
    group: Mapped[str] = mapped_column(sa.String(40))
    #: The case's id in the library, and the SHA-256 of its file's content when it was assigned.
    case_id: Mapped[str] = mapped_column(sa.String(64))
    case_hash: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(16), default="open")
    #: Starts at 1; the Lead's retry or repeat_training starts the next round.
    round: Mapped[int] = mapped_column(default=1)
    #: Returned submissions in the current round.
    failed_attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id])
    segments: Mapped[list["Segment"]] = relationship(back_populates="assignment", order_by="Segment.position")

    def segment(self, name: str) -> "Segment":
        return next(s for s in self.segments if s.segment == name)


class Segment(Base):
    """Where one segment (entry, update, exit) of an assignment stands."""

    __tablename__ = "practice_segments"
    __audit_type__ = "practice_segment"
    __table_args__ = (
        sa.UniqueConstraint("assignment_id", "segment", name="uq_practice_segments_assignment_segment"),
        sa.CheckConstraint(_known("status", SEGMENT_STATES), name="status_known"),
        sa.CheckConstraint(_known("segment", ("entry", "update", "exit")), name="segment_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("practice_assignments.id"))
    segment: Mapped[str] = mapped_column(sa.String(8))
    position: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(16), default="locked")
    #: Submissions of this segment in the assignment's current round.
    attempts: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    assignment: Mapped[Assignment] = relationship(back_populates="segments")


class Submission(Base):
    """One submitted attempt at a segment: the frozen sandbox snapshot, the comparison, the review."""

    __tablename__ = "practice_submissions"
    __audit_type__ = "practice_submission"
    __table_args__ = (
        sa.UniqueConstraint("segment_id", "round", "attempt", name="uq_practice_submissions_segment_attempt"),
        sa.CheckConstraint(f"outcome IS NULL OR {_known('outcome', OUTCOMES)}", name="outcome_known"),
        sa.Index("ix_practice_submissions_outcome_submitted_at", "outcome", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(sa.ForeignKey("practice_segments.id"), index=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("practice_assignments.id"), index=True)
    round: Mapped[int]
    #: 1 for the first submission of the segment in this round.
    attempt: Mapped[int]
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: What the sandbox workspace held at the segment's stage (``sandbox.services.workspace_records``).
    snapshot: Mapped[Any] = mapped_column(sa.JSON)
    #: The automatic comparison: a list of ``compare.Difference.as_dict()``.
    comparison: Mapped[Any] = mapped_column(sa.JSON)
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: None while waiting for review; "approved" or "returned" once decided.
    outcome: Mapped[str | None] = mapped_column(sa.String(16))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    segment: Mapped[Segment] = relationship()
    assignment: Mapped[Assignment] = relationship()
    reviewer = relationship("User", foreign_keys=[reviewer_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    comments: Mapped[list["ReviewComment"]] = relationship(back_populates="submission",
                                                           order_by="ReviewComment.id")


class ReviewComment(Base):
    """A reviewer's comment on one field of a submission (``field`` like ``Enrollment.EntryDate``) or overall."""

    __tablename__ = "practice_review_comments"
    __audit_type__ = "practice_review_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("practice_submissions.id"), index=True)
    #: Empty for an overall comment.
    field: Mapped[str] = mapped_column(sa.String(120), default="")
    text: Mapped[str] = mapped_column(sa.Text)
    snippet_id: Mapped[int | None] = mapped_column(sa.ForeignKey("practice_feedback_snippets.id"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    submission: Mapped[Submission] = relationship(back_populates="comments")
    author = relationship("User", foreign_keys=[author_id])


class FeedbackSnippet(Base):
    """Reusable feedback for one data element (``element`` like ``Enrollment.EntryDate`` or ``overall``)."""

    __tablename__ = "practice_feedback_snippets"
    __audit_type__ = "practice_feedback_snippet"

    id: Mapped[int] = mapped_column(primary_key=True)
    element: Mapped[str] = mapped_column(sa.String(120), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Set when staff retire it (kept: comments made with it still name it).
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OneOnOneTraining(Base):
    """One-on-one training given to a blocked trainee (when, who gave it, notes)."""

    __tablename__ = "practice_one_on_ones"
    __audit_type__ = "practice_one_on_one"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("practice_assignments.id"), index=True)
    round: Mapped[int]
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    trainer: Mapped[str] = mapped_column(sa.String(200))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Decision(Base):
    """The HMIS Lead's decision on a blocked assignment (one per round)."""

    __tablename__ = "practice_decisions"
    __audit_type__ = "practice_decision"
    __table_args__ = (
        sa.UniqueConstraint("assignment_id", "round", name="uq_practice_decisions_assignment_round"),
        sa.CheckConstraint(_known("outcome", DECISIONS), name="outcome_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("practice_assignments.id"), index=True)
    round: Mapped[int]
    outcome: Mapped[str] = mapped_column(sa.String(16))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)

    assignment: Mapped[Assignment] = relationship()
