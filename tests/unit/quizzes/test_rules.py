"""Pure quiz rules: bank files, drawing, shuffling, answers, scores, time limits, retakes."""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from quizzes import rules
from quizzes.rules import DrawnQuestion

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=timezone.utc)


def _q(i: int, **kw) -> dict:
    q = {"id": f"q-{i}", "topic": f"Topic {i % 5}", "type": "single", "prompt": f"Question {i}?",
         "choices": [{"text": "Right", "correct": True}, {"text": "Wrong", "correct": False}],
         "explanation": "Because.", "source": "Manual, somewhere"}
    q.update(kw)
    return q


def _bank(questions=None, **kw) -> str:
    data = {"course": "cs_basics", "title": "Basics", "questions": questions or [_q(i) for i in range(30)]}
    data.update(kw)
    return json.dumps(data, indent=2)


# --- bank files ------------------------------------------------------------------------------------

def test_parse_bank_valid_file_returns_every_question():
    bank, problems = rules.parse_bank(_bank(), course="cs_basics")
    assert problems == [] and len(bank.questions) == 30


def test_parse_bank_true_false_gets_true_then_false_choices():
    bank, _ = rules.parse_bank(_bank([_q(0, type="true_false", answer=False, choices=None)] + [_q(i) for i in range(1, 30)]
                                     ), course="cs_basics")
    assert bank is None  # "choices" present (even null) is refused for true/false
    raw = _q(0, type="true_false", answer=False)
    del raw["choices"]
    bank, problems = rules.parse_bank(_bank([raw] + [_q(i) for i in range(1, 30)]), course="cs_basics")
    assert problems == []
    assert [(c.text, c.correct) for c in bank.questions[0].choices] == [("True", False), ("False", True)]


def test_parse_bank_bad_json_names_line_and_column():
    _, problems = rules.parse_bank('{\n  "course": "cs_basics",\n  oops\n}', course="cs_basics")
    assert problems and problems[0].startswith("line 3, column 3")


def test_parse_bank_reports_every_bad_question_with_its_line():
    questions = [_q(i) for i in range(30)]
    questions[3]["choices"][1]["correct"] = True  # two right answers to a one-answer question
    questions[7]["explanation"] = ""
    questions[9]["id"] = "q-1"  # duplicate
    text = _bank(questions)
    _, problems = rules.parse_bank(text, course="cs_basics")
    assert len(problems) == 3
    line_of_q3 = text.splitlines().index('      "id": "q-3",') + 1
    assert problems[0].startswith(f"line {line_of_q3}, question 4 (q-3): a single-choice question needs exactly one")
    assert "question 8 (q-7): explanation must be text" in problems[1]
    assert "question 10 (q-1): this id is used by an earlier question" in problems[2]


def test_parse_bank_refuses_too_few_questions_and_wrong_course():
    _, problems = rules.parse_bank(_bank([_q(i) for i in range(3)], course="data_standards"), course="cs_basics")
    assert any("course must be 'cs_basics'" in p for p in problems)
    assert any("holds 3 questions; it needs 25" in p for p in problems)


def test_parse_bank_multiple_select_needs_a_correct_choice():
    questions = [_q(i) for i in range(30)]
    questions[0] = _q(0, type="multiple", choices=[{"text": "a", "correct": False}, {"text": "b", "correct": False}])
    _, problems = rules.parse_bank(_bank(questions), course="cs_basics")
    assert problems == ["line 6, question 1 (q-0): a multiple-select question needs at least one correct choice"]


def test_canonical_changes_when_a_question_changes():
    a, _ = rules.parse_bank(_bank(), course="cs_basics")
    questions = [_q(i) for i in range(30)]
    questions[5]["explanation"] = "A better reason."
    b, _ = rules.parse_bank(_bank(questions), course="cs_basics")
    assert a.canonical() != b.canonical()
    assert a.canonical() == rules.parse_bank(_bank(), course="cs_basics")[0].canonical()


# --- drawing and shuffling -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Q:
    key: int
    topic: str


def test_draw_spreads_across_topics_evenly():
    questions = [Q(i, t) for t, n in (("a", 10), ("b", 10), ("c", 3), ("d", 12)) for i in range(n)]
    for seed in range(50):
        picked = rules.draw(questions, 12, random.Random(seed))
        counts = Counter(q.topic for q in picked)
        assert len(picked) == len(set(picked)) == 12
        assert set(counts) == {"a", "b", "c", "d"} and max(counts.values()) - min(counts.values()) <= 1


def test_draw_when_a_topic_runs_out_fills_from_the_others():
    questions = [Q(i, "small") for i in range(2)] + [Q(100 + i, "big") for i in range(20)]
    picked = rules.draw(questions, 10, random.Random(1))
    assert Counter(q.topic for q in picked) == {"small": 2, "big": 8}


def test_draw_more_than_the_bank_returns_all_once():
    questions = [Q(i, "t") for i in range(5)]
    assert sorted(q.key for q in rules.draw(questions, 50, random.Random(0))) == list(range(5))


def test_draw_varies_with_the_generator():
    questions = [Q(i, f"t{i % 4}") for i in range(40)]
    draws = {tuple(q.key for q in rules.draw(questions, 10, random.Random(seed))) for seed in range(20)}
    assert len(draws) > 15


def test_choice_order_shuffles_but_keeps_true_false():
    orders = {tuple(rules.choice_order("single", 4, random.Random(seed))) for seed in range(30)}
    assert len(orders) > 5 and all(sorted(o) == [0, 1, 2, 3] for o in orders)
    assert all(rules.choice_order("true_false", 2, random.Random(s)) == [0, 1] for s in range(10))


# --- answers --------------------------------------------------------------------------------------------

DRAWN = [DrawnQuestion(1, "single", 4), DrawnQuestion(2, "multiple", 4), DrawnQuestion(3, "true_false", 2)]


def test_read_answers_reads_each_question():
    read = rules.read_answers(DRAWN, [("csrf_token", "x"), ("q1", "2"), ("q2", "4"), ("q2", "1"), ("q3", "1")])
    assert read.forged == [] and read.unanswered == []
    assert read.chosen == {1: [2], 2: [1, 4], 3: [1]}


def test_read_answers_reports_unanswered():
    read = rules.read_answers(DRAWN, [("q1", "2")])
    assert read.unanswered == [2, 3] and read.forged == []


@pytest.mark.parametrize("pairs", [
    [("q4", "1")], [("q0", "1")], [("q01", "1")], [("q1", "5")], [("q1", "0")], [("q1", "x")], [("q1", "١")],
    [("q1", "1"), ("q1", "2")], [("q2", "1"), ("q2", "1")], [("q3", "3")], [("q99999", "1")], [("q1", "")],
])
def test_read_answers_forged_fields_are_reported(pairs):
    assert rules.read_answers(DRAWN, pairs).forged


# --- scoring ---------------------------------------------------------------------------------------------

def test_is_correct_multiple_select_is_all_or_nothing():
    assert rules.is_correct([1, 3], [3, 1])
    assert not rules.is_correct([1, 3], [1])
    assert not rules.is_correct([1, 3], [1, 2, 3])


def test_score_pass_mark_is_inclusive_and_not_rounded_up():
    assert rules.score([True] * 16 + [False] * 4, 80).passed
    s = rules.score([True] * 79 + [False] * 21, 80)
    assert s.percent == 79 and not s.passed
    assert not rules.score([True] * 15 + [False] * 5).passed
    assert rules.score([True] * 15 + [False] * 5, 75).passed
    assert not rules.score([], 80).passed


# --- time and retakes ------------------------------------------------------------------------------------

def test_expiry_allows_the_grace_only():
    end = rules.expires_at(NOW, 60)
    assert end == NOW + timedelta(hours=1)
    assert not rules.is_expired(end, end + rules.GRACE)
    assert rules.is_expired(end, end + rules.GRACE + timedelta(seconds=1))


def _attempt(minutes_ago: int, *, submitted: bool = True, passed: bool = False) -> rules.AttemptFacts:
    start = NOW - timedelta(minutes=minutes_ago)
    return rules.AttemptFacts(started_at=start, expires_at=start + timedelta(minutes=60),
                              submitted_at=start + timedelta(minutes=10) if submitted else None, passed=passed)


def test_next_start_without_cooldown_is_now():
    assert rules.next_start([_attempt(11)], cooldown_minutes=0, now=NOW) is None


def test_next_start_waits_after_a_fail():
    assert rules.next_start([_attempt(11)], cooldown_minutes=60, now=NOW) == NOW + timedelta(minutes=59)
    assert rules.next_start([_attempt(80)], cooldown_minutes=60, now=NOW) is None


def test_next_start_no_wait_after_a_pass():
    assert rules.next_start([_attempt(11, passed=True)], cooldown_minutes=60, now=NOW) is None


def test_next_start_counts_an_expired_attempt_from_its_end():
    expired = _attempt(70, submitted=False)  # ran out 10 minutes ago
    assert rules.next_start([expired], cooldown_minutes=30, now=NOW) == NOW + timedelta(minutes=20)



# --- course content: uploaded MP4, WebVTT captions, transcript, links, the bank written back ------------------

import io  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA = Path(rules.__file__).resolve().parents[1] / "media"  # quizzes/media, beside the rules package
MP4 = (MEDIA / "security_privacy.mp4").read_bytes()


def _duration(data: bytes) -> float:
    return rules.mp4_duration(io.BytesIO(data), len(data))


def test_an_mp4_is_known_by_its_boxes_and_its_length_read_from_mvhd():
    assert 46 < _duration(MP4) < 48
    # A 64-bit box size and an appended 'free' box change nothing.
    assert _duration(MP4 + (1).to_bytes(4, "big") + b"free" + (24).to_bytes(8, "big") + b"\0" * 8) == _duration(MP4)


@pytest.mark.parametrize("data,message", [
    (b"", "does not start with an MP4 'ftyp' box"),
    (b"RIFF\0\0\0\0AVI LIST" + b"\0" * 50, "does not start with an MP4 'ftyp' box"),
    ((16).to_bytes(4, "big") + b"ftypqt  \0\0\0\0" + b"\0" * 16, "names no MP4 brand"),
    (MP4[:40], "box runs past the end"),
    ((16).to_bytes(4, "big") + b"ftypisom\0\0\0\0" + (8).to_bytes(4, "big") + b"mdat", "no 'moov' box"),
    ((16).to_bytes(4, "big") + b"ftypisom\0\0\0\0" + (8).to_bytes(4, "big") + b"moov", "no readable 'mvhd'"),
])
def test_what_is_not_a_playable_mp4_is_refused_naming_why(data, message):
    with pytest.raises(rules.MediaInvalid, match=message.replace("(", r"\(")):
        _duration(data)


VTT = b"WEBVTT - course captions\n\nNOTE written by hand\n\n1\n00:00:00.000 --> 00:00:03.500\nHello.\n\n" \
      b"00:03.500 --> 00:07.000 align:start\nMinutes and seconds only.\n"


def test_valid_captions_pass_with_or_without_hours_and_with_a_bom():
    assert rules.check_captions(VTT) == []
    assert rules.check_captions(b"\xef\xbb\xbf" + VTT.replace(b"\n", b"\r\n")) == []
    assert rules.check_captions((MEDIA / "cs_basics.vtt").read_bytes()) == []


@pytest.mark.parametrize("data,problems", [
    (b"1\n00:00:00.000 --> 00:00:01.000\nx\n", ["line 1: captions must start with the line WEBVTT"]),
    (b"WEBVTTX\n", ["line 1: captions must start with the line WEBVTT"]),
    (b"WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nSRT commas\n", ["line 3, cue 1: the timing must read"]),
    (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\na\n\n00:00:61.000 --> 00:01:02.000\nb\n",
     ["line 6, cue 2: the timing must read"]),
    (b"WEBVTT\n\n00:00:03.000 --> 00:00:02.000\na\n\n00:00:01.000 --> 00:00:02.000\nb\n\n00:00:00.5 --> 1\nc\n",
     ["line 3, cue 1: the cue ends before it starts", "line 6, cue 2: the cue starts before the cue above it",
      "line 9, cue 3: the timing must read"]),
    (b"WEBVTT\n\nno cues at all\n", ["the captions hold no cue"]),
    (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\xff\xfe\n", ["the captions file is not UTF-8 text (line 4"]),
    (b"WEBVTT\n" + b"x" * rules.MAX_CAPTIONS_BYTES, ["the captions file is larger than 1024 KB"]),
])
def test_bad_captions_name_every_problem_with_its_line_and_cue(data, problems):
    found = rules.check_captions(data)
    assert len(found) == len(problems)
    assert all(f.startswith(p) for f, p in zip(found, problems)), found


def test_a_transcript_is_non_empty_utf8_text():
    assert rules.check_transcript("Naïve text\n".encode()) == ("Naïve text\n", [])
    assert rules.check_transcript(b"  \n")[1] == ["the transcript file is empty."]
    assert "not UTF-8" in rules.check_transcript(b"caf\xe9")[1][0]


def test_resources_are_titled_http_links_one_a_line_every_problem_named():
    links, problems = rules.parse_resources("Manual | https://example.org/m.pdf\r\n\nHelp|http://help.example.org")
    assert problems == [] and links == [rules.Resource("Manual", "https://example.org/m.pdf"),
                                        rules.Resource("Help", "http://help.example.org")]
    _, problems = rules.parse_resources("A | javascript:alert(1)\nB | ftp://x.org/f\njust a url https://x.org\n"
                                        " | https://x.org\nC | https://\nD | https://x.org/a b")
    assert [p.split(":")[0] for p in problems] == [f"Resources, line {n}" for n in (1, 2, 3, 4, 5, 6)]
    _, problems = rules.parse_resources("\n".join(f"L{i} | https://x.org/{i}" for i in range(21)))
    assert problems == ["Resources: at most 20 links."]


def test_a_stored_bank_written_back_reads_as_the_same_bank():
    questions = [_q(i) for i in range(28)] + [_q(28, type="true_false", choices=None, answer=False),
                                               _q(29, type="multiple", choices=[{"text": "A", "correct": True},
                                                                                {"text": "B", "correct": True}])]
    del questions[28]["choices"]
    spec, problems = rules.parse_bank(_bank(questions), course="cs_basics")
    assert problems == []

    @dataclass
    class Choice:
        text: str
        correct: bool

    @dataclass
    class Question:
        key: str
        topic: str
        kind: str
        prompt: str
        explanation: str
        source: str
        choices: list

    stored = [Question(q.key, q.topic, q.kind, q.prompt, q.explanation, q.source,
                       [Choice(c.text, c.correct) for c in q.choices]) for q in spec.questions]
    again, problems = rules.parse_bank(rules.bank_file_text("cs_basics", spec.title, stored), course="cs_basics")
    assert problems == [] and again.canonical() == spec.canonical()


# --- the Data Standards bank agrees with HUD's lists (lms.hud) ----------------------------------

def _data_standards_bank() -> dict:
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "quizzes" / "data" / "data_standards.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _hud_words(text: str) -> str:
    """Quiz prose writes HUD's " - " as an en dash; HUD's labels are compared without that difference."""
    return text.replace("\u2013", "-")


def test_data_standards_project_type_questions_agree_with_lms_hud():
    import re

    from lms.hud import PERMANENT_HOUSING, PROJECT_TYPES

    labels = set(PROJECT_TYPES.values())
    checked = 0
    for q in _data_standards_bank()["questions"]:
        asked = re.fullmatch(r"Which HUD project type has code (\d+)\?", q["prompt"])
        if asked:
            right = [_hud_words(c["text"]) for c in q["choices"] if c["correct"]]
            assert right == [PROJECT_TYPES[int(asked.group(1))]], q["id"]
            assert all(_hud_words(c["text"]) in labels for c in q["choices"]), q["id"]
            checked += 1
        if q["id"] == "ds-type-ph":
            for c in q["choices"]:
                code = int(c["text"].split()[0])
                assert c["correct"] is (code in PERMANENT_HOUSING), c["text"]
                assert PROJECT_TYPES[code].startswith(_hud_words(c["text"].split(" ", 1)[1])), c["text"]
            checked += 1
    assert checked >= 4
