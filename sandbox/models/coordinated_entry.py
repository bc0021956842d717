"""Coordinated entry records (4.19 assessments, their questions and results, 4.20 events), kept as an
HMIS CSV set brings them."""

# No ``from __future__ import annotations``: the ``Mapped[...]`` annotations are read as they are
# declared, in this module (``Model`` names every class ``sandbox.models.<Class>``).

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from sandbox.models.base import Model, workspace_fk


class Assessment(Model):
    """Coordinated entry assessments (4.19).

    Assessment.csv as imported (AssessmentID unique), written back at export.
    """

    __tablename__ = "ce_assessments"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "AssessmentID",
                                          name="uq_ce_assessments_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> Assessment.csv (scripts/gen_sandbox_models.py; only AssessmentID required)
    AssessmentID: Mapped[str] = mapped_column(sa.String(32))
    EnrollmentID: Mapped[str | None] = mapped_column(sa.String(32))
    PersonalID: Mapped[str | None] = mapped_column(sa.String(32))
    AssessmentDate: Mapped[date | None] = mapped_column(sa.Date)
    AssessmentLocation: Mapped[str | None] = mapped_column(sa.String(250))
    AssessmentType: Mapped[int | None] = mapped_column(sa.Integer)
    AssessmentLevel: Mapped[int | None] = mapped_column(sa.Integer)
    PrioritizationStatus: Mapped[int | None] = mapped_column(sa.Integer)
    DateCreated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    UserID: Mapped[str | None] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< Assessment.csv


class AssessmentQuestions(Model):
    """Coordinated entry assessment questions and answers.

    AssessmentQuestions.csv as imported (AssessmentQuestionID unique), written back at export.
    """

    __tablename__ = "assessment_questions"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "AssessmentQuestionID",
                                          name="uq_assessment_questions_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> AssessmentQuestions.csv (scripts/gen_sandbox_models.py; only AssessmentQuestionID required)
    AssessmentQuestionID: Mapped[str] = mapped_column(sa.String(32))
    AssessmentID: Mapped[str | None] = mapped_column(sa.String(32))
    EnrollmentID: Mapped[str | None] = mapped_column(sa.String(32))
    PersonalID: Mapped[str | None] = mapped_column(sa.String(32))
    AssessmentQuestionGroup: Mapped[str | None] = mapped_column(sa.String(250))
    AssessmentQuestionOrder: Mapped[int | None] = mapped_column(sa.Integer)
    AssessmentQuestion: Mapped[str | None] = mapped_column(sa.String(250))
    AssessmentAnswer: Mapped[str | None] = mapped_column(sa.String(500))
    DateCreated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    UserID: Mapped[str | None] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< AssessmentQuestions.csv


class AssessmentResults(Model):
    """Coordinated entry assessment results.

    AssessmentResults.csv as imported (AssessmentResultID unique), written back at export.
    """

    __tablename__ = "assessment_results"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "AssessmentResultID",
                                          name="uq_assessment_results_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> AssessmentResults.csv (scripts/gen_sandbox_models.py; only AssessmentResultID required)
    AssessmentResultID: Mapped[str] = mapped_column(sa.String(32))
    AssessmentID: Mapped[str | None] = mapped_column(sa.String(32))
    EnrollmentID: Mapped[str | None] = mapped_column(sa.String(32))
    PersonalID: Mapped[str | None] = mapped_column(sa.String(32))
    AssessmentResultType: Mapped[str | None] = mapped_column(sa.String(250))
    AssessmentResult: Mapped[str | None] = mapped_column(sa.String(250))
    DateCreated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    UserID: Mapped[str | None] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< AssessmentResults.csv


class Event(Model):
    """Coordinated entry events (4.20).

    Event.csv as imported (EventID unique), written back at export.
    """

    __tablename__ = "ce_events"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "EventID",
                                          name="uq_ce_events_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    # >>> Event.csv (scripts/gen_sandbox_models.py; only EventID required)
    EventID: Mapped[str] = mapped_column(sa.String(32))
    EnrollmentID: Mapped[str | None] = mapped_column(sa.String(32))
    PersonalID: Mapped[str | None] = mapped_column(sa.String(32))
    EventDate: Mapped[date | None] = mapped_column(sa.Date)
    Event: Mapped[int | None] = mapped_column(sa.Integer)
    ProbSolDivRRResult: Mapped[int | None] = mapped_column(sa.Integer)
    ReferralCaseManageAfter: Mapped[int | None] = mapped_column(sa.Integer)
    LocationCrisisOrPHHousing: Mapped[str | None] = mapped_column(sa.String(250))
    ReferralResult: Mapped[int | None] = mapped_column(sa.Integer)
    ResultDate: Mapped[date | None] = mapped_column(sa.Date)
    DateCreated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    DateUpdated: Mapped[datetime | None] = mapped_column(sa.DateTime)
    UserID: Mapped[str | None] = mapped_column(sa.String(32))
    DateDeleted: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # <<< Event.csv
