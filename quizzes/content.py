"""What HMIS leads change about a course in the browser: its video (with captions and transcript), its title,
description and links, and its question bank.  Flush, never commit.

Each change is a new version, never an edit: attempts keep the bank version they were drawn from, watch
progress keeps the video (by SHA-256) it measured, and the audit log says who changed what.  The pure
checks are in :mod:`quizzes.rules`.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core import audit
from lms.core.errors import Conflict, InvalidInput
from quizzes import rules, services, videos
from quizzes.models import CourseText, CourseVideo, QuizBank

audit.label_actions({
    "quizzes.video_uploaded": "Course video replaced",
    "quizzes.bank_published": "Question bank version published",
    "quizzes.text_saved": "Course description and links changed",
})


class UploadRefused(InvalidInput):
    """The uploaded files cannot become the course's video; ``reasons`` names every problem."""


class StaleEdit(Conflict):
    """Someone else published a newer version since this one was opened for editing."""


# --- the video --------------------------------------------------------------------------------------------

def _size(stream: BinaryIO) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _sha256(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _write(path: Path, stream: BinaryIO) -> None:
    """Write the file atomically (a half-written file never carries the final name); keep an existing one."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            stream.seek(0)
            for chunk in iter(lambda: stream.read(1024 * 1024), b""):
                out.write(chunk)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_upload(video: BinaryIO | None, captions: bytes | None, transcript: bytes | None, *,
                 max_video_bytes: int, need_transcript: bool) -> tuple[float, list[str]]:
    """Check every uploaded file; return (the video's duration, every problem)."""
    problems: list[str] = []
    duration = 0.0
    if video is None:
        problems.append("Video: choose the MP4 file.")
    else:
        size = _size(video)
        if size > max_video_bytes:
            problems.append(f"Video: the file is {size / 1024 / 1024:.1f} MB; at most "
                            f"{max_video_bytes // (1024 * 1024)} MB is accepted.")
        else:
            try:
                duration = rules.mp4_duration(video, size)
            except rules.MediaInvalid as exc:
                problems.append(f"Video: {exc}")
    if not captions:
        problems.append("Captions: choose the WebVTT (.vtt) file.")
    else:
        problems += [f"Captions: {p}" for p in rules.check_captions(captions)]
    if transcript:
        problems += [f"Transcript: {p}" for p in rules.check_transcript(transcript)[1]]
    elif need_transcript:
        problems.append("Transcript: choose the transcript (plain UTF-8 text).")
    return duration, problems


def replace_video(db_session: Session, course: str, *, video: BinaryIO | None, captions: bytes | None,
                  transcript: bytes | None, max_video_bytes: int, folder: Path, now: datetime, actor: Any = None,
                  ip: str | None = None) -> CourseVideo:
    """Make the uploaded MP4 and captions (and transcript, else the current one) the course's video.

    Every file is checked before anything is written: refused (UploadRefused, every problem named), nothing
    changes.  Files are stored by their SHA-256 under ``folder/<course>/``; the new version row makes them
    current.  Watch progress is kept per video SHA-256, so what was watched of the old video does not count
    towards the new one (a person re-watches; their earlier passes and evidence stay).
    """
    current = videos.video_for(course, db_session)
    duration, problems = check_upload(video, captions, transcript, max_video_bytes=max_video_bytes,
                                      need_transcript=current is None)
    if problems:
        raise UploadRefused("The video was not replaced: " + " ".join(problems), reasons=problems)
    assert video is not None and captions is not None
    if transcript is None:
        transcript = current.path("transcript").read_bytes()
    video_sha = _sha256(video)
    captions_sha = hashlib.sha256(captions).hexdigest()
    transcript_sha = hashlib.sha256(transcript).hexdigest()
    names = videos.uploaded_names(course, video_sha, captions_sha, transcript_sha)
    _write(folder / names["video"], video)
    _write(folder / names["captions"], io.BytesIO(captions))
    _write(folder / names["transcript"], io.BytesIO(transcript))
    newest = videos.current_upload(db_session, course)
    row = CourseVideo(course=course, version=(newest.version + 1) if newest else 1, video_sha256=video_sha,
                      duration=duration, captions_sha256=captions_sha, transcript_sha256=transcript_sha,
                      uploaded_at=now, uploaded_by_id=getattr(actor, "id", None))
    db_session.add(row)
    db_session.flush()
    videos.forget_uploads(db_session)
    audit.record(db_session, action="quizzes.video_uploaded", now=now, actor=actor, target=row, ip=ip,
                 course=course, version=row.version, video_sha256=video_sha, duration=duration,
                 previous_sha256=current.sha256 if current else None)
    return row


# --- the course's title, description and links --------------------------------------------------------------

@dataclass(frozen=True)
class CourseInfo:
    title: str
    description: str
    resources: list[rules.Resource]
    #: The saved version (0: never edited, the built-in title).
    version: int


def current_text(db_session: Session, course: str) -> CourseText | None:
    return db_session.execute(sa.select(CourseText).where(CourseText.course == course)
                              .order_by(CourseText.version.desc()).limit(1)).scalar_one_or_none()


def course_info(db_session: Session, course: str) -> CourseInfo:
    row = current_text(db_session, course)
    if row is None:
        return CourseInfo(services.COURSE_TITLES[course], "", [], 0)
    return CourseInfo(row.title, row.description, [rules.Resource(r["title"], r["url"]) for r in row.resources],
                      row.version)


def course_titles(db_session: Session) -> dict[str, str]:
    """Every course's title as people see it: the newest saved text's, else the built-in one (one query).

    An HMIS lead who renames a course sees the new name on every page that names it (tests, results,
    the administrators' lists), not only on the course page."""
    saved = dict(db_session.execute(_newest_titles()).all())
    return {course: saved.get(course) or title for course, title in services.COURSE_TITLES.items()}


@functools.cache
def _newest_titles() -> sa.Select:
    """Each course's newest saved title (every test page asks), built once at first use: a statement keeps its
    cache key."""
    newest = (sa.select(CourseText.course, sa.func.max(CourseText.version).label("version"))
              .group_by(CourseText.course).subquery())
    return (sa.select(CourseText.course, CourseText.title)
            .join(newest, sa.and_(newest.c.course == CourseText.course, newest.c.version == CourseText.version)))


def course_title(db_session: Session, course: str) -> str:
    return course_titles(db_session)[course]


def save_text(db_session: Session, course: str, *, title: str, description: str, resources: list[rules.Resource],
              base_version: int, now: datetime, actor: Any = None, ip: str | None = None) -> CourseText:
    """Save the course's text as its next version (already checked by the form); refused when stale."""
    newest = current_text(db_session, course)
    if (newest.version if newest else 0) != base_version:
        raise StaleEdit("Someone else saved this course's description since you opened it. Your changes were "
                        "not saved: reload the page to see theirs, then make yours again.")
    row = CourseText(course=course, version=base_version + 1, title=title, description=description,
                     resources=[{"title": r.title, "url": r.url} for r in resources], saved_at=now,
                     saved_by_id=getattr(actor, "id", None))
    db_session.add(row)
    db_session.flush()
    audit.record(db_session, action="quizzes.text_saved", now=now, actor=actor, target=row, ip=ip, course=course,
                 version=row.version, resources=len(resources))
    return row


# --- the question bank as text ------------------------------------------------------------------------------

def bank_text(db_session: Session, course: str) -> tuple[str, int]:
    """The current bank in the file format, and its version (0 and the shipped file before any is loaded)."""
    bank = services.current_bank(db_session, course)
    if bank is None:
        path = services.DATA_DIR / f"{course}.json"
        return (path.read_text(encoding="utf-8") if path.exists() else ""), 0
    return rules.bank_file_text(course, bank.title, bank.questions), bank.version


def preview_bank(course: str, text: str) -> tuple[rules.BankSpec | None, list[str]]:
    """Check a bank's text as the file loader does: (bank, []) or (None, every problem with its line)."""
    return rules.parse_bank(text, course=course)


def publish_bank(db_session: Session, course: str, text: str, *, base_version: int, now: datetime,
                 actor: Any = None, ip: str | None = None) -> tuple[QuizBank, bool]:
    """Publish the bank's text as the course's next version; return (version, created).

    Refused with every problem (BankInvalid) or when another version was published since ``base_version``
    was opened (StaleEdit).  Unchanged content publishes nothing.  Attempts keep the version they were on.
    """
    spec, problems = rules.parse_bank(text, course=course)
    if spec is None:
        raise services.BankInvalid("The question bank has problems, so it was not published.", reasons=problems)
    newest = services.current_bank(db_session, course)
    if (newest.version if newest else 0) != base_version:
        raise StaleEdit(f"Version {newest.version if newest else 0} of this question bank was published since you "
                        f"opened version {base_version}, so yours was not published (it would undo theirs). Copy "
                        "your text, reload the page, and make your changes again.")
    bank, created = services.store_bank(db_session, spec, now=now, actor=actor, action="quizzes.bank_published",
                                        ip=ip)
    return bank, created
