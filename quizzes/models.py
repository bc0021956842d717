"""Question banks (one version per loaded file content) and attempts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Base
from lms.core.types import UTCDateTime


class QuizBank(Base):
    """One version of a course's question bank; a changed file becomes the next version, never an edit."""

    __tablename__ = "quiz_banks"
    __audit_type__ = "quiz_bank"
    __table_args__ = (sa.UniqueConstraint("course", "version", name="uq_quiz_banks_course_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The course's requirement key: ``security_privacy``, ``data_standards`` or ``cs_basics``.
    course: Mapped[str] = mapped_column(sa.String(40))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    #: SHA-256 of the bank's canonical JSON: the same content is never loaded twice.
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    questions: Mapped[list["QuizQuestion"]] = relationship(
        back_populates="bank", order_by="QuizQuestion.position", cascade="all, delete-orphan")


class QuizQuestion(Base):
    __tablename__ = "quiz_questions"
    __table_args__ = (sa.UniqueConstraint("bank_id", "key", name="uq_quiz_questions_bank_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz_banks.id"), index=True)
    #: The question's ``id`` in the bank file (stable across versions).
    key: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int]
    topic: Mapped[str] = mapped_column(sa.String(100))
    #: ``single``, ``multiple`` or ``true_false``.
    kind: Mapped[str] = mapped_column(sa.String(16))
    prompt: Mapped[str] = mapped_column(sa.Text)
    explanation: Mapped[str] = mapped_column(sa.Text)
    #: Where the answer can be checked (a section of the manual or the data standards).
    source: Mapped[str] = mapped_column(sa.String(300))

    bank: Mapped[QuizBank] = relationship(back_populates="questions")
    choices: Mapped[list["QuizChoice"]] = relationship(
        back_populates="question", order_by="QuizChoice.position", cascade="all, delete-orphan")


class QuizChoice(Base):
    __tablename__ = "quiz_choices"
    __table_args__ = (sa.UniqueConstraint("question_id", "position", name="uq_quiz_choices_question_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz_questions.id"), index=True)
    #: Order in the file (attempts show their own shuffled order).
    position: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    correct: Mapped[bool]

    question: Mapped[QuizQuestion] = relationship(back_populates="choices")


class QuizAttempt(Base):
    """One sitting of a course's test, on the bank version it was drawn from."""

    __tablename__ = "quiz_attempts"
    __audit_type__ = "quiz_attempt"
    __table_args__ = (sa.Index("ix_quiz_attempts_user_id_course_started_at", "user_id", "course", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    course: Mapped[str] = mapped_column(sa.String(40))
    #: The bank version the questions were drawn from.
    bank_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz_banks.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Answers sent after this (and a short grace) are refused.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Set once, when the answers are scored; a submitted attempt never changes again.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    question_count: Mapped[int]
    #: The pass mark (percent) in force when the attempt started.
    pass_mark: Mapped[int]
    correct_count: Mapped[int | None]
    passed: Mapped[bool | None]

    bank: Mapped[QuizBank] = relationship()
    user = relationship("User", foreign_keys=[user_id])
    questions: Mapped[list["AttemptQuestion"]] = relationship(
        back_populates="attempt", order_by="AttemptQuestion.position", cascade="all, delete-orphan")

    @property
    def percent(self) -> int | None:
        if self.correct_count is None or not self.question_count:
            return None
        return self.correct_count * 100 // self.question_count


class AttemptQuestion(Base):
    """One drawn question of an attempt, its choices in the order shown, and the answer given."""

    __tablename__ = "quiz_attempt_questions"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "position", name="uq_quiz_attempt_questions_attempt_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz_attempts.id"), index=True)
    #: 1-based place in the attempt; the form's field is ``q<position>``.
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz_questions.id"), index=True)
    #: QuizChoice ids in the order shown; the form sends 1-based places in this list, never ids.
    choice_order: Mapped[list[int]] = mapped_column(sa.JSON)
    #: The places chosen (1-based, as shown), once submitted.
    chosen: Mapped[list[int] | None] = mapped_column(sa.JSON)
    correct: Mapped[bool | None]

    attempt: Mapped[QuizAttempt] = relationship(back_populates="questions")
    question: Mapped[QuizQuestion] = relationship()


class VideoProgress(Base):
    """How much of one version of a course's video a person has watched.

    A changed video (another ``video_hash``) starts a new row: progress on the old one does not count.
    """

    __tablename__ = "video_progress"
    __table_args__ = (sa.UniqueConstraint("user_id", "course", "video_hash", name="uq_video_progress_user_course_video"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    course: Mapped[str] = mapped_column(sa.String(40))
    #: SHA-256 of the video file watched.
    video_hash: Mapped[str] = mapped_column(sa.String(64))
    #: The union of the intervals credited, ``[[start, end], ...]`` in seconds, sorted and disjoint.
    intervals: Mapped[list[list[float]]] = mapped_column(sa.JSON)
    #: Where the player last was (it resumes there).
    position: Mapped[float] = mapped_column(sa.Float)
    #: Seconds of the video credited as watched (the union's length).
    seconds_watched: Mapped[float] = mapped_column(sa.Float)
    #: The previous report: the clock that limits what the next one can credit.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CourseVideo(Base):
    """One version of a course's video, captions and transcript uploaded by an HMIS lead (newest is current).

    Before any upload the video shipped in ``quizzes/media`` is used.  The files live under the media
    folder (``instance/media`` by default) at ``<course>/<sha256>.<ext>`` and are never overwritten or
    deleted: watch progress names the video it measured by its SHA-256, so a new video starts afresh.
    """

    __tablename__ = "course_videos"
    __audit_type__ = "course_video"
    __table_args__ = (sa.UniqueConstraint("course", "version", name="uq_course_videos_course_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course: Mapped[str] = mapped_column(sa.String(40))
    version: Mapped[int]
    #: SHA-256 of the MP4 (its file name, and what watch progress is kept against).
    video_sha256: Mapped[str] = mapped_column(sa.String(64))
    #: Seconds, read from the file's ``mvhd`` box.
    duration: Mapped[float] = mapped_column(sa.Float)
    captions_sha256: Mapped[str] = mapped_column(sa.String(64))
    transcript_sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class CourseText(Base):
    """One version of a course's title, description and links, edited by an HMIS lead (newest is current)."""

    __tablename__ = "course_texts"
    __audit_type__ = "course_text"
    __table_args__ = (sa.UniqueConstraint("course", "version", name="uq_course_texts_course_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course: Mapped[str] = mapped_column(sa.String(40))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text)
    #: ``[{"title": ..., "url": ...}, ...]``, http(s) addresses only.
    resources: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    saved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
