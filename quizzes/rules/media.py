"""Pure checks of the course content an administrator makes in the browser.

The video (an MP4's duration read from its boxes), its captions (WebVTT), its transcript (text) and the
list of links.  They read uploaded bytes and text, not questions, so they live apart from the question
rules in :mod:`quizzes.rules.questions`.  No Flask, no SQLAlchemy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: Captions and transcripts are text: a few hundred kilobytes at most; this leaves room and stops abuse.
MAX_CAPTIONS_BYTES = 1024 * 1024
MAX_TRANSCRIPT_BYTES = 1024 * 1024
MAX_RESOURCES = 20
#: MP4 brands (the ``ftyp`` box's major or compatible brands) a browser plays as video/mp4.
MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V ", b"mmp4"}
_VTT_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_VTT_TIMING = re.compile(r"^" + _VTT_TIME + r"[ \t]+-->[ \t]+" + _VTT_TIME + r"(?:[ \t].*)?$")


class MediaInvalid(ValueError):
    """An uploaded file is not what it claims to be; the message names the problem for the person."""


def _box_header(stream: Any, end: int) -> tuple[bytes, int, int] | None:
    """Read one ISO-BMFF box header at the stream's position: (type, header size, box size), or None at ``end``."""
    start = stream.tell()
    if start + 8 > end:
        return None
    head = stream.read(8)
    if len(head) < 8:
        return None
    size, kind = int.from_bytes(head[:4], "big"), head[4:8]
    header = 8
    if size == 1:
        large = stream.read(8)
        if len(large) < 8:
            raise MediaInvalid("the video file is cut short (a box header is incomplete).")
        size, header = int.from_bytes(large, "big"), 16
    elif size == 0:
        size = end - start
    if size < header or start + size > end:
        raise MediaInvalid(f"the video file is damaged: its {kind.decode('latin-1')!r} box runs past the end.")
    return kind, header, size


def mp4_duration(stream: Any, length: int) -> float:
    """Check that ``stream`` (``length`` bytes, seekable) is an MP4 file; return its duration in seconds.

    Only the file's boxes are read, never its name or declared type: it must start with an ``ftyp``
    box naming an MP4 brand, and hold a ``moov`` box whose ``mvhd`` gives the duration.
    """
    stream.seek(0)
    if stream.read(8)[4:8] != b"ftyp":
        raise MediaInvalid("the video is not an MP4 file (it does not start with an MP4 'ftyp' box).")
    stream.seek(0)
    first = _box_header(stream, length)
    if first is None or first[0] != b"ftyp":
        raise MediaInvalid("the video is not an MP4 file (it does not start with an MP4 'ftyp' box).")
    kind, header, size = first
    brands_raw = stream.read(size - header)
    brands = {brands_raw[i:i + 4] for i in range(0, len(brands_raw) - 3, 4) if i != 4}
    if not brands & MP4_BRANDS:
        raise MediaInvalid("the video is not an MP4 file that browsers play (its 'ftyp' box names no MP4 brand).")
    position = size
    while position < length:
        stream.seek(position)
        box = _box_header(stream, length)
        if box is None:
            break
        kind, header, size = box
        if kind == b"moov":
            return _mvhd_duration(stream, position + header, position + size)
        position += size
    raise MediaInvalid("the video has no 'moov' box, so its length is unknown (is the file complete?).")


def _mvhd_duration(stream: Any, start: int, end: int) -> float:
    position = start
    while position < end:
        stream.seek(position)
        box = _box_header(stream, end)
        if box is None:
            break
        kind, header, size = box
        if kind == b"mvhd":
            body = stream.read(min(size - header, 32))
            version = body[:1]
            if version == b"\x00" and len(body) >= 20:
                timescale, duration = int.from_bytes(body[12:16], "big"), int.from_bytes(body[16:20], "big")
            elif version == b"\x01" and len(body) >= 32:
                timescale, duration = int.from_bytes(body[20:24], "big"), int.from_bytes(body[24:32], "big")
            else:
                break
            if not timescale or not duration:
                raise MediaInvalid("the video's length is zero.")
            return round(duration / timescale, 3)
        position += size
    raise MediaInvalid("the video's 'moov' box has no readable 'mvhd' header, so its length is unknown.")


def _vtt_seconds(h: str | None, m: str, s: str, ms: str) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def decode_text(data: bytes, *, what: str, limit: int) -> tuple[str | None, list[str]]:
    """Decode uploaded text as UTF-8 (a leading BOM is dropped); return (text, []) or (None, [the problem])."""
    if len(data) > limit:
        return None, [f"the {what} file is larger than {limit // 1024} KB."]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return None, [f"the {what} file is not UTF-8 text (line {line} holds a byte that is not UTF-8)."]
    return text.removeprefix("\ufeff"), []


def check_captions(data: bytes) -> list[str]:
    """Check WebVTT captions; return every problem, each naming its line (and cue), or [] when they are fine.

    The file must start with ``WEBVTT``; each cue's timing reads ``HH:MM:SS.mmm --> HH:MM:SS.mmm``
    (hours may be left out), ends after it starts, and no cue starts before the one above it.
    """
    text, problems = decode_text(data, what="captions", limit=MAX_CAPTIONS_BYTES)
    if text is None:
        return problems
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = lines[0] if lines else ""
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        return ["line 1: captions must start with the line WEBVTT (is this a WebVTT file?)."]
    cue, previous_start = 0, None
    for number, line in enumerate(lines[1:], 2):
        if "-->" not in line:
            continue
        cue += 1
        m = _VTT_TIMING.match(line.strip())
        if not m:
            problems.append(f"line {number}, cue {cue}: the timing must read HH:MM:SS.mmm --> HH:MM:SS.mmm "
                            f"(found {line.strip()[:60]!r}).")
            continue
        start, end = _vtt_seconds(*m.groups()[:4]), _vtt_seconds(*m.groups()[4:])
        if end <= start:
            problems.append(f"line {number}, cue {cue}: the cue ends before it starts.")
        if previous_start is not None and start < previous_start:
            problems.append(f"line {number}, cue {cue}: the cue starts before the cue above it (cues must be in "
                            f"order of time).")
        previous_start = start
    if cue == 0 and not problems:
        problems.append("the captions hold no cue (no line with a timing such as 00:00:01.000 --> 00:00:04.000).")
    return problems


def check_transcript(data: bytes) -> tuple[str | None, list[str]]:
    text, problems = decode_text(data, what="transcript", limit=MAX_TRANSCRIPT_BYTES)
    if text is not None and not text.strip():
        return None, ["the transcript file is empty."]
    return text, problems


@dataclass(frozen=True)
class Resource:
    title: str
    url: str


def parse_resources(text: str) -> tuple[list[Resource], list[str]]:
    """Read the resources box: one link a line, ``Title | https://...``; return (links, every problem by line)."""
    from urllib.parse import urlsplit

    resources: list[Resource] = []
    problems: list[str] = []
    for number, line in enumerate((text or "").replace("\r\n", "\n").split("\n"), 1):
        if not line.strip():
            continue
        title, bar, url = line.rpartition("|")
        title, url = title.strip(), url.strip()
        if not bar or not title:
            problems.append(f"Resources, line {number}: write the link's title, then '|', then its address.")
            continue
        if len(title) > 200:
            problems.append(f"Resources, line {number}: the title is longer than 200 characters.")
        parts = urlsplit(url)
        if (parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url)
                or len(url) > 500):
            problems.append(f"Resources, line {number}: the address must start with http:// or https:// "
                            f"(at most 500 characters, no spaces).")
            continue
        resources.append(Resource(title, url))
    if len(resources) > MAX_RESOURCES:
        problems.append(f"Resources: at most {MAX_RESOURCES} links.")
    return resources, problems
