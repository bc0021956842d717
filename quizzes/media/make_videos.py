"""Make the three course videos from their narration: slides drawn by ffmpeg, the voice of espeak-ng.

Run from the repository root (needs ``ffmpeg`` and ``espeak-ng``)::

    python quizzes/media/make_videos.py            # every course
    python quizzes/media/make_videos.py cs_basics  # one course

For each course it writes, next to this script:

* ``<course>.mp4``: 640x360 H.264 + AAC, a slide per group of sentences with the narration as sound;
* ``<course>.vtt``: WebVTT captions, one cue per sentence, the words exactly as spoken;
* ``<course>.txt``: the transcript (the slide titles and every sentence);

and ``videos.json``, read by the application: each video's file names, duration (seconds) and the
SHA-256 of its MP4 (a changed video starts everyone's watch progress afresh).

The narration teaches from the HMIS Policies and Procedures Manual and the HUD HMIS Data Standards
(FY2026); change the words here and run the script again, never edit the outputs.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

HERE = Path(__file__).resolve().parent
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
#: Silence after each sentence (seconds).
PAUSE = 0.35
VOICE = ["-v", "en-us", "-s", "165"]

#: course -> (title, [(slide heading, [sentences spoken while it shows]), ...]); two sentences a slide fit.
SCRIPTS: dict[str, tuple[str, list[tuple[str, list[str]]]]] = {
    "security_privacy": ("Security and Privacy Awareness", [
        ("Why it matters", [
            "HMIS holds protected personal information about people experiencing homelessness.",
            "Every end user must keep that information private and secure.",
        ]),
        ("Consent before data entry", [
            "Review the release of information with the client before you enter anything in HMIS.",
            "If the client agrees, get a signed release and record it in HMIS.",
        ]),
        ("Declined and expired consent", [
            "If the client declines, ask the helpdesk for a locked record before entering any data.",
            "A release expires one year after it is signed.",
        ]),
        ("Your workstation", [
            "Never share your username or password, and never post them where others can see them.",
            "Devices must lock automatically after a short time of inactivity.",
        ]),
        ("Paper and screens", [
            "Keep printed reports and signed forms secure.",
            "Before you email a screen capture, hide all personal information.",
        ]),
    ]),
    "data_standards": ("HMIS Data Standards", [
        ("The current standards", [
            "HMIS data follows the HUD HMIS Data Standards.",
            "The current version is fiscal year twenty twenty-six, in effect since October first, twenty "
            "twenty-five.",
        ]),
        ("Universal data elements", [
            "Universal data elements are collected for every client in every project.",
            "They include name, social security number, date of birth, race and ethnicity, and veteran status.",
        ]),
        ("Data quality", [
            "Each identifier has a data quality answer, such as full or partial.",
            "When a client does not know or prefers not to answer, record that choice; never guess.",
        ]),
        ("What changed", [
            "In fiscal year twenty twenty-six, gender was removed, and sex was added as a new element.",
            "Data is collected at project start, at updates and annual assessments, and at project exit.",
        ]),
    ]),
    "cs_basics": ("Community Services Basics", [
        ("The HMIS software", [
            "Community Services, formerly ServicePoint, is the HMIS software made by WellSky.",
            "Six Missouri Continuums of Care use it as their designated HMIS.",
        ]),
        ("Before you start", [
            "Sign in with your own user ID only.",
            "Check that the client has a signed release of information before you enter data.",
        ]),
        ("Entry, update and exit", [
            "Practice cases follow three segments: project entry, update, and project exit.",
            "Finish one segment, then tell the helpdesk so they can review your work.",
        ]),
        ("Getting help", [
            "The helpdesk reviews every practice case and tells you what to correct.",
            "Keep the data standards manual link for future reference.",
        ]),
    ]),
}


def _run(*args: str) -> None:
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def _stamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _drawtext(textfile: Path, *, font: str, size: int, y: str, start: float, end: float, color: str = "white") -> str:
    return (f"drawtext=fontfile={font}:textfile={textfile}:fontsize={size}:fontcolor={color}:x=40:y={y}:"
            f"line_spacing=8:enable='between(t,{start:.3f},{end:.3f})'")


def _wrap(text: str, width: int) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join(lines + [line])


def make(course: str) -> dict:
    title, slides = SCRIPTS[course]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pieces, cues, filters = [], [], []
        t = 0.0
        for n, (heading, sentences) in enumerate(slides):
            slide_start = t
            for k, sentence in enumerate(sentences):
                wav = work / f"s{n}_{k}.wav"
                _run("espeak-ng", *VOICE, "-w", str(wav), sentence)
                length = _wav_seconds(wav)
                cues.append((t, t + length, sentence))
                pieces.append((wav, length))
                t += length + PAUSE
            head = work / f"h{n}.txt"
            head.write_text(heading, encoding="utf-8")
            body = work / f"b{n}.txt"
            body.write_text("\n\n".join(_wrap(s, 44) for s in sentences), encoding="utf-8")
            filters.append(_drawtext(head, font=FONT_BOLD, size=30, y="44", start=slide_start, end=t,
                                     color="0xffbe2e"))
            filters.append(_drawtext(body, font=FONT, size=22, y="104", start=slide_start, end=t))
        total = t
        top = work / "top.txt"
        top.write_text(f"{title}  ·  HMIS training", encoding="utf-8")
        filters.append(f"drawtext=fontfile={FONT}:textfile={top}:fontsize=13:fontcolor=0xdfe1e2:x=40:y=12")
        # The narration: every sentence followed by its pause, as one track.
        concat = work / "list.txt"
        silence = work / "pause.wav"
        rate = wave.open(str(pieces[0][0])).getframerate()
        _run("ffmpeg", "-y", "-f", "lavfi", "-i", f"anullsrc=r={rate}:cl=mono", "-t", str(PAUSE), silence.as_posix())
        concat.write_text("".join(f"file '{w.as_posix()}'\nfile '{silence.as_posix()}'\n" for w, _ in pieces))
        audio = work / "narration.wav"
        _run("ffmpeg", "-y", "-f", "concat", "-safe", "0", "-i", str(concat), "-c:a", "pcm_s16le", str(audio))
        out = HERE / f"{course}.mp4"
        _run("ffmpeg", "-y", "-f", "lavfi", "-i", f"color=c=0x1a4480:s=640x360:r=5:d={total:.3f}",
             "-i", str(audio), "-vf", ",".join(filters), "-c:v", "libx264", "-preset", "slow", "-crf", "32",
             "-tune", "stillimage", "-pix_fmt", "yuv420p", "-g", "10", "-c:a", "aac", "-b:a", "48k", "-ac", "1",
             "-shortest", "-movflags", "+faststart", "-map_metadata", "-1", "-fflags", "+bitexact",
             "-flags:v", "+bitexact", "-flags:a", "+bitexact", str(out))
    vtt = ["WEBVTT", ""]
    for i, (start, end, sentence) in enumerate(cues, 1):
        vtt += [str(i), f"{_stamp(start)} --> {_stamp(end)}", sentence, ""]
    (HERE / f"{course}.vtt").write_text("\n".join(vtt), encoding="utf-8")
    transcript = [title, ""]
    for heading, sentences in slides:
        transcript += [heading, " ".join(sentences), ""]
    (HERE / f"{course}.txt").write_text("\n".join(transcript), encoding="utf-8")
    return {"title": title, "video": out.name, "captions": f"{course}.vtt", "transcript": f"{course}.txt",
            "duration": round(total, 2), "sha256": hashlib.sha256(out.read_bytes()).hexdigest()}


def main(argv: list[str]) -> int:
    courses = argv or list(SCRIPTS)
    manifest_path = HERE / "videos.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    for course in courses:
        manifest[course] = make(course)
        print(f"{course}: {manifest[course]['duration']} s, {(HERE / manifest[course]['video']).stat().st_size} bytes")
    manifest_path.write_text(json.dumps(dict(sorted(manifest.items())), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
