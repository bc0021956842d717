"""The course videos: their files (``media/videos.json``) and each person's watch progress. Flush, never commit.

The rules of what a report may credit are in :mod:`quizzes.watch`; this module reads and writes the rows.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.core import settings
from lms.core.driver import DriverTransaction, PreparedRead, PreparedWrite
from lms.core.cache import EngineCache
from lms.core.db import Database
from lms.core.settings import SettingSpec
from quizzes import watch
from quizzes.models import CourseVideo, VideoProgress

#: The videos shipped with the package (used until an HMIS lead uploads a course's own).
MEDIA_DIR = Path(__file__).resolve().parent / "media"

settings.declare(SettingSpec("quizzes.video_unlock_percent", "Share of the course video to watch before the test "
                             "(percent)", "A person may start a course's test once this much of its video is watched.",
                             watch.DEFAULT_UNLOCK_PERCENT, minimum=0, maximum=100))
settings.declare(SettingSpec("quizzes.video_max_playback_rate", "Fastest playback speed credited",
                             "Watching faster than this (times normal speed) is credited only at this speed.",
                             watch.DEFAULT_MAX_RATE, minimum=1, maximum=4))


@dataclass(frozen=True)
class Video:
    course: str
    title: str
    #: File names inside :data:`MEDIA_DIR`.
    video: str
    captions: str
    transcript: str
    duration: float
    sha256: str
    #: The folder the file names are in: :data:`MEDIA_DIR`, or the media folder for an uploaded video.
    root: Path = MEDIA_DIR
    #: The uploaded version (None: the video shipped with the package).
    version: int | None = None

    @property
    def files(self) -> dict[str, str]:
        """The files a person may fetch, by kind."""
        return {"video": self.video, "captions": self.captions, "transcript": self.transcript}

    def transcript_text(self) -> str:
        return (self.root / self.transcript).read_text(encoding="utf-8")

    def path(self, kind: str) -> Path:
        return self.root / self.files[kind]


@lru_cache(maxsize=1)
def _manifest() -> dict[str, Video]:
    path = MEDIA_DIR / "videos.json"
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {course: Video(course=course, title=v["title"], video=v["video"], captions=v["captions"],
                          transcript=v["transcript"], duration=float(v["duration"]), sha256=v["sha256"])
            for course, v in raw.items()}


def media_folder() -> Path:
    """Where uploaded videos are kept: ``MEDIA_FOLDER``, or ``media`` in the instance folder."""
    from flask import current_app

    return Path(current_app.config.get("MEDIA_FOLDER") or Path(current_app.instance_path) / "media")


def uploaded_names(course: str, video_sha256: str, captions_sha256: str, transcript_sha256: str) -> dict[str, str]:
    """The file names (inside :func:`media_folder`) of an uploaded video, its captions and transcript."""
    return {"video": f"{course}/{video_sha256}.mp4", "captions": f"{course}/{captions_sha256}.vtt",
            "transcript": f"{course}/{transcript_sha256}.txt"}


def current_upload(db_session: Session, course: str) -> CourseVideo | None:
    return db_session.execute(sa.select(CourseVideo).where(CourseVideo.course == course)
                              .order_by(CourseVideo.version.desc()).limit(1)).scalar_one_or_none()


#: The process's copy of each course's current uploaded video, trusted as long as the settings' copy: the
#: video heartbeat asks for it on every report, and it changes only when someone uploads a video.
_UPLOADS = EngineCache(settings.CACHE_SECONDS, clock=lambda: settings._monotonic())


def forget_uploads(db_session: Session) -> None:
    """After an upload: this process reads the courses' videos again (others within a few seconds)."""
    _UPLOADS.forget_after_transaction(db_session)


def _uploaded_video(db_session: Session, course: str) -> Video | None:
    row = current_upload(db_session, course)
    if row is None:
        return None
    names = uploaded_names(course, row.video_sha256, row.captions_sha256, row.transcript_sha256)
    shipped = _manifest().get(course)
    return Video(course=course, title=shipped.title if shipped else course, video=names["video"],
                 captions=names["captions"], transcript=names["transcript"], duration=row.duration,
                 sha256=row.video_sha256, root=media_folder(), version=row.version)


def video_for(course: str, db_session: Session | Database | None = None) -> Video | None:
    """The course's video: the newest uploaded one, else the one shipped; None when it has none (its test is
    then not locked).  Without ``db_session``, the request's session is used (outside a request: shipped only)."""
    if db_session is None:
        from flask import has_app_context

        if has_app_context():
            from lms.core.db import get_db_session

            db_session = get_db_session()
    uploaded = (_UPLOADS.get(db_session, course, lambda s: _uploaded_video(s, course))
                if db_session is not None else None)
    return uploaded or _manifest().get(course)


@dataclass(frozen=True)
class Progress:
    seconds: float
    percent: int
    unlocked: bool
    position: float


def _summary(db_session: Session | Database, video: Video, row: VideoProgress | _Watched | None) -> Progress:
    seconds = row.seconds_watched if row else 0.0
    threshold = settings.get(db_session, "quizzes.video_unlock_percent")
    return Progress(seconds=seconds, percent=watch.percent(seconds, video.duration),
                    unlocked=watch.unlocked(seconds, video.duration, threshold=threshold),
                    position=watch.resume_at(row.position, video.duration) if row else 0.0)


@functools.cache
def _row_query() -> sa.Select:
    """Built once, at first use (every test start asks): a statement keeps its cache key."""
    return sa.select(VideoProgress).where(VideoProgress.user_id == sa.bindparam("user_id"),
                                          VideoProgress.course == sa.bindparam("course"),
                                          VideoProgress.video_hash == sa.bindparam("video_hash"))


def _row(db_session: Session, user_id: int, video: Video) -> VideoProgress | None:
    return db_session.execute(_row_query(), {"user_id": user_id, "course": video.course,
                                             "video_hash": video.sha256}).scalar_one_or_none()


def progress(db_session: Session, user_id: int, video: Video) -> Progress:
    return _summary(db_session, video, _row(db_session, user_id, video))


def may_start_test(db_session: Session, user_id: int, course: str) -> bool:
    """Whether enough of the course's video is watched (always, for a course without a video)."""
    video = video_for(course, db_session)
    return video is None or progress(db_session, user_id, video).unlocked


# The report runs every ten seconds for everyone watching: its two statements are built once and run
# straight on the driver, in the short transaction the view opens for them (lms.core.driver: no ORM unit
# of work, session or transaction bookkeeping, which cost several times the statements).  The read
# holds the write (SQLite's write lock from the start; PostgreSQL locks the row), so two reports at once
# are credited one after the other.
_progress = VideoProgress.__table__
_WHERE = (_progress.c.user_id == sa.bindparam("user_id"), _progress.c.course == sa.bindparam("course"),
          _progress.c.video_hash == sa.bindparam("video_hash"))
_LOCKED_ROW = PreparedRead(sa.select(_progress.c.id, _progress.c.intervals, _progress.c.updated_at)
                           .where(*_WHERE).with_for_update())
_UPDATE_ROW = PreparedWrite(sa.update(_progress).where(_progress.c.id == sa.bindparam("row_id"))
                            .values(intervals=sa.bindparam("intervals"), position=sa.bindparam("position"),
                                    seconds_watched=sa.bindparam("seconds_watched"),
                                    updated_at=sa.bindparam("now")))
_INSERT_ROW = PreparedWrite(sa.insert(_progress).values(
    user_id=sa.bindparam("user_id"), course=sa.bindparam("course"), video_hash=sa.bindparam("video_hash"),
    intervals=sa.bindparam("intervals"), position=sa.bindparam("position"),
    seconds_watched=sa.bindparam("seconds_watched"), updated_at=sa.bindparam("now")))


class ReportCollided(Exception):
    """The person's first two reports of a video arrived at the same moment: the other one was saved."""


@dataclass(frozen=True)
class _Watched:
    seconds_watched: float
    position: float


def report(tx: DriverTransaction, db_session: Session | Database, user_id: int, video: Video, start: float,
           end: float, *, now: datetime) -> Progress:
    """Credit the played ``[start, end]`` (already read by :func:`watch.parse_interval`): two statements in
    ``tx`` (a :func:`lms.core.driver.driver_transaction`, which the caller commits).

    ``db_session`` (or the database, where no session is open) only reads the settings' process copy;
    raises :class:`ReportCollided` when the person's first report of this video was saved by another
    request at the same moment."""
    key = {"user_id": user_id, "course": video.course, "video_hash": video.sha256}
    row = tx.one_or_none(_LOCKED_ROW, **key)
    elapsed = (now - row.updated_at).total_seconds() if row else None
    credit = watch.credit(row.intervals if row else [], start, end, duration=video.duration,
                          elapsed_seconds=elapsed,
                          max_rate=settings.get(db_session, "quizzes.video_max_playback_rate"))
    values = {"intervals": credit.intervals, "position": credit.position, "seconds_watched": credit.seconds,
              "now": now}
    if row is None:
        try:
            tx.execute(_INSERT_ROW, **key, **values)
        except tx.integrity_error as exc:
            raise ReportCollided() from exc
    else:
        tx.execute(_UPDATE_ROW, row_id=row.id, **values)
    return _summary(db_session, video, _Watched(credit.seconds, credit.position))


def mark_watched(db_session: Session, user_id: int, course: str, *, now: datetime) -> None:
    """Record the whole video as watched (test fixtures, the demo); does nothing for a course without a video."""
    video = video_for(course, db_session)
    if video is None:
        return
    row = _row(db_session, user_id, video) or VideoProgress(user_id=user_id, course=course, video_hash=video.sha256)
    row.intervals, row.position, row.seconds_watched, row.updated_at = ([[0.0, video.duration]], video.duration,
                                                                        video.duration, now)
    db_session.add(row)
    db_session.flush()
