"""Content makers' tools: replace a course's video and captions by upload, edit its description and links, edit,
preview and publish its question bank; each change audited, refusals change nothing, only leads (and sysadmins)."""

from __future__ import annotations

import io
import json
import re

import pytest
import sqlalchemy as sa

from lms.core.audit import AuditEvent
from lms.core.roles import Role
from quizzes import videos
from quizzes.models import CourseText, CourseVideo, QuizAttempt, QuizBank
from tests.functional.quizzes.conftest import start

COURSE = "cs_basics"
#: A real, small MP4: another course's shipped video (read, never generated).
MP4 = (videos.MEDIA_DIR / "data_standards.mp4").read_bytes()
VTT = b"WEBVTT\n\n1\n00:00:00.000 --> 00:00:04.000\nWelcome to the new video.\n\n2\n00:00:04.000 --> 00:00:09.500\nSearch before you create.\n"
TRANSCRIPT = "New narration\n\nSearch before you create a client.\n".encode()


def _may_start(app, db_session, user, course=COURSE) -> bool:
    """Outside a request, an uploaded video's folder still comes from the app's configuration."""
    with app.app_context():
        return videos.may_start_test(db_session, user.id, course)


@pytest.fixture
def lead(make_user):
    return make_user(roles=[Role.LEAD_ADMIN])


@pytest.fixture
def lead_client(app, lead, login):
    client = app.test_client()
    login(client, lead)
    return client


def upload(client, *, video=MP4, video_name="new.mp4", captions=VTT, transcript=None, course=COURSE):
    data = {}
    if video is not None:
        data["video"] = (io.BytesIO(video), video_name, "video/mp4")
    if captions is not None:
        data["captions"] = (io.BytesIO(captions), "new.vtt", "text/vtt")
    if transcript is not None:
        data["transcript"] = (io.BytesIO(transcript), "new.txt", "text/plain")
    return client.post(f"/quizzes/admin/{course}/video", data=data, content_type="multipart/form-data")


def _counts(db_session):
    db_session.expire_all()
    return [db_session.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in (CourseVideo, CourseText, QuizBank, AuditEvent)]


def _media_files(app):
    with app.app_context():
        folder = videos.media_folder()
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _text(resp):
    return re.sub(r"\s+", " ", resp.get_data(as_text=True))


# --- the video ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("video,name,captions,expected", [
    (b"this is not a video at all, only text" * 10, "fake.mp4", VTT, "not an MP4 file"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "picture.mp4", VTT, "not an MP4 file"),
    (MP4[:2000], "cut.mp4", VTT, "the video file is damaged: its 'moov' box runs past the end"),
    (MP4[:32] + MP4[32 + int.from_bytes(MP4[32:36], "big"):], "no-moov.mp4", VTT, "no 'moov' box"),
    (MP4, "new.mp4", b"00:00:00.000 --> 00:00:04.000\nNo header\n", "line 1: captions must start with the line WEBVTT"),
    (MP4, "new.mp4", b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nOne\n\n00:00:0x.000 --> 00:00:09.000\nTwo\n",
     "line 6, cue 2: the timing must read HH:MM:SS.mmm --> HH:MM:SS.mmm"),
    (MP4, "new.mp4", b"WEBVTT\n\n00:00:05.000 --> 00:00:08.000\nOne\n\n00:00:01.000 --> 00:00:03.000\nTwo\n",
     "line 6, cue 2: the cue starts before the cue above it"),
    (MP4, "new.mp4", b"WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nBackwards\n", "line 3, cue 1: the cue ends before it starts"),
    (MP4, "new.mp4", b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nCaf\xe9 in Latin-1\n",
     "the captions file is not UTF-8 text (line 4"),
    (None, "", VTT, "Video: choose the MP4 file"),
    (MP4, "new.mp4", None, "Captions: choose the WebVTT"),
], ids=["text-named-mp4", "png-named-mp4", "truncated-mp4", "mp4-without-moov", "vtt-no-header", "vtt-bad-timing", "vtt-out-of-order",
        "vtt-ends-before-start", "vtt-not-utf8", "no-video", "no-captions"])
def test_a_refused_upload_is_400_naming_the_problem_and_changes_nothing(app, banks, lead_client, db_session, video,
                                                                        name, captions, expected):
    before = _counts(db_session)
    resp = upload(lead_client, video=video, video_name=name, captions=captions)
    assert resp.status_code == 400
    assert expected in _text(resp).replace("&#39;", "'").replace("&gt;", ">")
    assert 'data-testid="error-summary"' in resp.get_data(as_text=True)
    assert _counts(db_session) == before and _media_files(app) == []


def test_a_transcript_that_is_not_utf8_is_refused(app, banks, lead_client, db_session):
    before = _counts(db_session)
    resp = upload(lead_client, transcript=b"\xff\xfeN\x00o\x00")
    assert resp.status_code == 400 and "Transcript: the transcript file is not UTF-8 text" in _text(resp)
    assert _counts(db_session) == before


def test_every_problem_of_an_upload_is_named_at_once(banks, lead_client):
    resp = upload(lead_client, video=b"GIF89a" + b"\0" * 100, captions=b"WEBVTT\n\n00:00:09.000 --> 00:00:01.000\nx\n")
    text = _text(resp)
    assert resp.status_code == 400 and "Video: the video is not an MP4 file" in text and "cue 1" in text


def test_an_oversized_video_is_refused(app, banks, lead_client, db_session):
    app.config["VIDEO_MAX_MB"] = 1
    # Still a valid MP4 (a 'free' box appended), only too big.
    padding = 1024 * 1024
    big = MP4 + (padding + 8).to_bytes(4, "big") + b"free" + b"\0" * padding
    before = _counts(db_session)
    resp = upload(lead_client, video=big)
    assert resp.status_code == 400 and "at most 1 MB is accepted" in _text(resp)
    # Far larger than the whole form may be: refused before the body is read.
    huge = MP4 + (4 * padding + 8).to_bytes(4, "big") + b"free" + b"\0" * (4 * padding)
    resp = upload(lead_client, video=huge)
    assert resp.status_code == 400 and "larger than the" in _text(resp)
    assert _counts(db_session) == before and _media_files(app) == []


def test_an_uploaded_video_becomes_current_served_with_range_and_progress_starts_afresh(
        app, banks, lead_client, lead, db_session, trainee, trainee_client, watched):
    old = videos.video_for(COURSE, db_session)
    assert _may_start(app, db_session, trainee)
    resp = upload(lead_client, transcript=TRANSCRIPT)
    assert resp.status_code == 303, _text(resp)[:2000]
    db_session.expire_all()
    row = db_session.execute(sa.select(CourseVideo)).scalar_one()
    assert (row.course, row.version, row.uploaded_by_id) == (COURSE, 1, lead.id)
    import hashlib

    assert row.video_sha256 == hashlib.sha256(MP4).hexdigest() != old.sha256
    assert 40 < row.duration < 50  # read from the file's mvhd box (the data standards video, about 47 s)
    assert sorted(_media_files(app)) == sorted([f"{row.video_sha256}.mp4", f"{row.captions_sha256}.vtt",
                                                f"{row.transcript_sha256}.txt"])
    # The course page plays the new video, captions and transcript.
    html = trainee_client.get(f"/quizzes/{COURSE}").get_data(as_text=True)
    assert f"v={row.video_sha256[:12]}-1" in html and "Search before you create a client." in html
    # Range support: 206 with the requested bytes of the new file.
    resp = trainee_client.get(f"/quizzes/{COURSE}/media/video", headers={"Range": "bytes=0-99"})
    assert resp.status_code == 206 and resp.data == MP4[:100]
    assert resp.headers["Content-Range"] == f"bytes 0-99/{len(MP4)}"
    assert trainee_client.get(f"/quizzes/{COURSE}/media/captions").data == VTT
    assert trainee_client.get(f"/quizzes/{COURSE}/media/transcript").data == TRANSCRIPT
    # Behind nginx: uploaded files are handed to their own internal location.
    app.config.update(VIDEO_ACCEL_REDIRECT="/protected-media/", MEDIA_ACCEL_REDIRECT="/uploaded-media/")
    resp = trainee_client.get(f"/quizzes/{COURSE}/media/video")
    assert resp.headers["X-Accel-Redirect"] == f"/uploaded-media/{COURSE}/{row.video_sha256}.mp4"
    assert (trainee_client.get("/quizzes/security_privacy/media/video").headers["X-Accel-Redirect"]
            == "/protected-media/security_privacy.mp4")
    # What was watched of the old video does not count for the new one: the test is locked again.
    assert not _may_start(app, db_session, trainee)
    assert _may_start(app, db_session, trainee, "security_privacy")
    assert 'data-testid="video-locked"' in trainee_client.get(f"/quizzes/{COURSE}").get_data(as_text=True)
    # Audited, naming the old and the new video.
    event = db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "quizzes.video_uploaded")).scalar_one()
    assert event.actor_id == lead.id and event.details["version"] == 1
    assert event.details["previous_sha256"] == old.sha256 and event.details["video_sha256"] == row.video_sha256


def test_the_same_video_with_new_captions_keeps_what_was_watched(app, banks, lead_client, db_session, trainee,
                                                                  watched):
    same = (videos.MEDIA_DIR / f"{COURSE}.mp4").read_bytes()
    assert upload(lead_client, video=same).status_code == 303
    db_session.expire_all()
    assert db_session.execute(sa.select(CourseVideo.version)).scalar_one() == 1
    assert _may_start(app, db_session, trainee)


def test_without_a_new_transcript_the_current_one_stays(banks, lead_client, db_session, trainee_client):
    assert upload(lead_client).status_code == 303
    text = trainee_client.get(f"/quizzes/{COURSE}/media/transcript").data
    assert text == (videos.MEDIA_DIR / f"{COURSE}.txt").read_bytes()


# --- the description and links ---------------------------------------------------------------------------------

def test_description_and_links_are_saved_shown_and_audited(banks, lead_client, lead, db_session, trainee_client):
    page = lead_client.get(f"/quizzes/admin/{COURSE}/text")
    assert page.status_code == 200 and 'name="base_version"' in page.get_data(as_text=True)
    resp = lead_client.post(f"/quizzes/admin/{COURSE}/text", data={
        "title": "Community Services Basics", "description": "Learn the system.\n\nSearch first.",
        "resources": "Policies manual | https://example.org/manual.pdf\nHelp desk | http://help.example.org/",
        "base_version": "0"})
    assert resp.status_code == 303, _text(resp)[:1500]
    html = trainee_client.get(f"/quizzes/{COURSE}").get_data(as_text=True)
    assert "<p>Search first.</p>" in html and 'href="https://example.org/manual.pdf"' in html
    assert "Community Services Basics test" in html
    event = db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "quizzes.text_saved")).scalar_one()
    assert event.actor_id == lead.id and event.details == {"course": COURSE, "version": 1, "resources": 2}


def test_a_renamed_course_is_called_by_its_new_name_on_every_page_that_names_it(banks, lead_client, trainee_client,
                                                                                 watched):
    def rename(title: str, version: int) -> None:
        resp = lead_client.post("/quizzes/admin/security_privacy/text", data={
            "title": title, "description": "", "resources": "", "base_version": str(version)})
        assert resp.status_code == 303, _text(resp)[:1500]

    rename("Privacy First", 0)
    rename("Keeping Client Data Safe", 1)  # the newest saved text wins
    attempt_id = start(trainee_client)
    pages = {"test": trainee_client.get(f"/quizzes/attempts/{attempt_id}"),
             "content admin": lead_client.get("/quizzes/admin/"),
             "question bank": lead_client.get("/quizzes/admin/security_privacy/questions"),
             "video": lead_client.get("/quizzes/admin/security_privacy/video")}
    for name, page in pages.items():
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and "Keeping Client Data Safe" in html, name
        assert "Security and Privacy Awareness" not in html.replace("Security and Privacy Awareness training", ""), name


def test_bad_links_are_all_named_and_nothing_is_saved(banks, lead_client, db_session):
    before = _counts(db_session)
    resp = lead_client.post(f"/quizzes/admin/{COURSE}/text", data={
        "title": "", "description": "x", "base_version": "0",
        "resources": "Bad | javascript:alert(1)\nno bar here\nFine | https://example.org\nFile | file:///etc/passwd"})
    text = _text(resp)
    assert resp.status_code == 400
    assert "Give the course a title." in text
    assert "Resources, line 1: the address must start with http:// or https://" in text
    assert "Resources, line 2: write the link" in text and "Resources, line 4" in text
    assert _counts(db_session) == before


def test_a_stale_description_edit_is_refused(banks, lead_client, db_session):
    form = {"title": "T", "description": "", "resources": "", "base_version": "0"}
    assert lead_client.post(f"/quizzes/admin/{COURSE}/text", data=form).status_code == 303
    resp = lead_client.post(f"/quizzes/admin/{COURSE}/text", data=dict(form, title="Other"))
    assert resp.status_code == 409 and "Someone else saved" in _text(resp)
    assert db_session.execute(sa.select(sa.func.count()).select_from(CourseText)).scalar_one() == 1


# --- the question bank ----------------------------------------------------------------------------------------

def _bank_text(client, course=COURSE) -> tuple[str, str]:
    html = client.get(f"/quizzes/admin/{course}/bank").get_data(as_text=True)
    import html as html_lib

    text = html_lib.unescape(re.search(r"<textarea[^>]*>\n?(.*?)</textarea>", html, re.S).group(1))
    version = re.search(r'name="base_version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="base_version"', html)
    return text, next(g for g in version.groups() if g)


def test_the_editor_opens_the_current_bank_in_the_file_format(banks, lead_client):
    text, version = _bank_text(lead_client)
    assert version == "1"
    assert json.loads(text) == json.loads((videos.MEDIA_DIR.parent / "data" / f"{COURSE}.json").read_text())


def test_preview_lists_every_problem_at_once_and_publishes_nothing(banks, lead_client, db_session):
    text, version = _bank_text(lead_client)
    data = json.loads(text)
    data["questions"][0]["type"] = "essay"
    data["questions"][1]["id"] = data["questions"][2]["id"]
    data["questions"][3]["choices"] = [{"text": "Only one", "correct": True}]
    data["questions"][4]["prompt"] = ""
    broken = json.dumps(data, indent=2, ensure_ascii=False)
    before = _counts(db_session)
    for action in ("preview", "publish"):
        resp = lead_client.post(f"/quizzes/admin/{COURSE}/bank", data={"text": broken, "base_version": version,
                                                                        "action": action})
        text = _text(resp)
        assert resp.status_code == 400
        assert "4 problems to fix before publishing" in text
        assert re.search(r"line \d+, question 1 \(cs-search-first\): type must be one of", text)
        assert "question 3" in text and "this id is used by an earlier question" in text
        assert "question 4" in text and "choices must be a list of 2 to 8" in text
        assert "question 5" in text and "prompt must be text" in text
        assert 'data-testid="bank-preview"' not in text
    assert _counts(db_session) == before


def test_preview_shows_the_questions_with_answers_marked_and_publishes_nothing(banks, lead_client, db_session):
    text, version = _bank_text(lead_client)
    before = _counts(db_session)
    resp = lead_client.post(f"/quizzes/admin/{COURSE}/bank", data={"text": text, "base_version": version,
                                                                    "action": "preview"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'data-testid="bank-preview"' in html
    assert "A new client arrives. What do you do first in the HMIS?" in html
    assert html.count('data-testid="correct"') >= 25
    assert _counts(db_session) == before


def test_publish_makes_a_new_version_and_an_old_attempt_keeps_its_own(banks, lead_client, lead, db_session, trainee,
                                                                      trainee_client, watched):
    attempt_id = start(trainee_client, COURSE)
    text, version = _bank_text(lead_client)
    data = json.loads(text)
    data["questions"][0]["prompt"] = "A new client walks in. What do you do first?"
    resp = lead_client.post(f"/quizzes/admin/{COURSE}/bank", data={"text": json.dumps(data), "base_version": version,
                                                                    "action": "publish"})
    assert resp.status_code == 303, _text(resp)[:2000]
    db_session.expire_all()
    banks_ = db_session.execute(sa.select(QuizBank).where(QuizBank.course == COURSE)
                                .order_by(QuizBank.version)).scalars().all()
    assert [b.version for b in banks_] == [1, 2]
    assert banks_[1].questions[0].prompt == "A new client walks in. What do you do first?"
    assert banks_[0].questions[0].prompt == "A new client arrives. What do you do first in the HMIS?"
    assert db_session.get(QuizAttempt, attempt_id).bank_id == banks_[0].id
    event = db_session.execute(sa.select(AuditEvent).where(AuditEvent.action == "quizzes.bank_published")).scalar_one()
    assert event.actor_id == lead.id and event.details["version"] == 2
    # The editor now starts from version 2.
    assert _bank_text(lead_client)[1] == "2"


def test_loading_the_unchanged_files_again_keeps_the_version_published_in_the_browser(banks, lead_client,
                                                                                     db_session, clock):
    from quizzes import services

    text, version = _bank_text(lead_client)
    data = json.loads(text)
    data["questions"][0]["prompt"] = "Published in the browser"
    assert lead_client.post(f"/quizzes/admin/{COURSE}/bank", data={"text": json.dumps(data), "base_version": version,
                                                                    "action": "publish"}).status_code == 303
    services.load_content(db_session, now=clock.now)
    db_session.commit()
    current = services.current_bank(db_session, COURSE)
    assert current.version == 2 and current.questions[0].prompt == "Published in the browser"


def test_two_tabs_publishing_from_the_same_version_the_second_is_refused(banks, lead_client, db_session):
    text, version = _bank_text(lead_client)
    first, second = json.loads(text), json.loads(text)
    first["questions"][0]["prompt"] = "First tab's prompt"
    second["questions"][1]["prompt"] = "Second tab's prompt"
    url = f"/quizzes/admin/{COURSE}/bank"
    assert lead_client.post(url, data={"text": json.dumps(first), "base_version": version,
                                       "action": "publish"}).status_code == 303
    resp = lead_client.post(url, data={"text": json.dumps(second), "base_version": version, "action": "publish"})
    assert resp.status_code == 409
    assert "Version 2 of this question bank was published since you opened version 1" in _text(resp)
    db_session.expire_all()
    assert db_session.execute(sa.select(sa.func.max(QuizBank.version)).where(QuizBank.course == COURSE)).scalar() == 2
    assert db_session.execute(sa.select(sa.func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "quizzes.bank_published")).scalar_one() == 1


@pytest.mark.parametrize("page,data", [
    ("text", {}),
    ("text", {"title": "T", "base_version": "x"}),
    ("text", {"title": "T", "base_version": "99999999"}),
    ("bank", {"text": "{}"}),
    ("bank", {"text": "[]", "base_version": "1", "action": "publish"}),
    ("bank", {"text": "null", "base_version": "1", "action": "preview"}),
    ("bank", {"text": "[" * 100000 + "]" * 100000, "base_version": "1", "action": "publish"}),
    ("bank", {"text": '{"course": "cs_basics", "title": 5, "questions": 5}', "base_version": "1", "action": "publish"}),
    ("bank", {"text": "", "base_version": "1", "action": "publish"}),
    ("video", {"video": "not a file", "captions": "WEBVTT"}),
])
def test_bad_input_to_the_content_forms_is_refused_and_changes_nothing(app, banks, lead_client, db_session, page,
                                                                        data):
    before = _counts(db_session)
    resp = lead_client.post(f"/quizzes/admin/{COURSE}/{page}", data=data)
    assert resp.status_code == 400
    assert _counts(db_session) == before and _media_files(app) == []


# --- who may -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.END_USER, Role.HELPDESK, Role.AGENCY_REP, Role.HMIS_MANAGER])
def test_only_leads_and_sysadmins_change_content(app, banks, make_user, make_agency, make_coc, login, db_session,
                                                  role):
    coc = make_coc()
    person = make_user(roles=[role], agency=make_agency(coc=coc), coc=coc)
    client = app.test_client()
    login(client, person)
    before = _counts(db_session)
    for page in ("video", "text", "bank"):
        assert client.get(f"/quizzes/admin/{COURSE}/{page}").status_code == 403
    assert upload(client).status_code in (400, 403)  # refused either way (a file to a page it may not open)
    assert client.post(f"/quizzes/admin/{COURSE}/text", data={"title": "x", "base_version": "0"}).status_code == 403
    assert client.post(f"/quizzes/admin/{COURSE}/bank", data={"text": "{}", "base_version": "1",
                                                               "action": "publish"}).status_code == 403
    assert _counts(db_session) == before


def test_a_sysadmin_may_change_content(app, banks, make_user, login):
    client = app.test_client()
    login(client, make_user(roles=[Role.SYSADMIN]))
    for page in ("video", "text", "bank"):
        assert client.get(f"/quizzes/admin/{COURSE}/{page}").status_code == 200
    assert upload(client).status_code == 303
