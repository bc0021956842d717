"""Open the files of a set safely and read them row by row, with a bounded line length and headers by name."""

from __future__ import annotations

import csv
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import lms.hud as hud

#: Headers an earlier HMIS CSV version spells otherwise (lower case) → the FY2026 column they are read as, by file.
#: FY2024 wrote ``HispanicLatinaeo`` (Hispanic/Latina/e/o), FY2026 writes ``HispanicLatinao``; sets still carry the
#: older header (Green River's FY2024-to-FY2026 converter's own test output does), and Green River's FY2026 importer
#: reads both. Without it every client of such a set was skipped for a blank HispanicLatinao.
OLDER_SPELLINGS: dict[str, dict[str, str]] = {"Client.csv": {"hispaniclatinaeo": "HispanicLatinao"}}

#: Longest physical line (line break included) a file may hold. A HUD row is a few kilobytes at most; the bound
#: keeps a huge line (or a file that is not CSV at all) from being read into memory whole.
MAX_LINE_BYTES = 64 * 1024


class Unreadable(Exception):
    """Raise when a file cannot be read to the end (the set is refused); ``line`` is where it broke."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def file_problem(path: Path) -> str | None:
    """Say why ``path`` cannot be one file of a set (missing, or not a regular file), looking without opening it.

    A named pipe would block the import forever and a device such as
    /dev/zero would never end, so only regular files (or links to one) are read.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "the file is missing from the set"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISLNK(st.st_mode):
        try:
            st = os.stat(path)
        except OSError:
            return "is a symbolic link to nothing (the file it names is missing)"
        if not stat.S_ISREG(st.st_mode):
            return f"is a symbolic link to {_kind(st.st_mode)}, not to a regular file"
    elif not stat.S_ISREG(st.st_mode):
        return f"is {_kind(st.st_mode)}, not a regular file"
    return None


def _open_regular(path: Path) -> BinaryIO:
    """Open a file of the set for reading, refusing anything but a regular file even if it changed since it was checked.

    O_NONBLOCK makes opening a named pipe return at once instead of waiting for a writer.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path.name} is not a regular file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class FileReader:
    """Read one file: the header mapped to HUD's columns by name (any case), then (line, fields by column) rows.

    ``bytes_read`` grows as the file is read (for the progress bar); ``bom`` and ``blank_lines`` say what was
    tolerated.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bytes_read = 0
        self.bom = False
        self.blank_lines = 0
        self._physical = 0

    def _lines(self, fh: BinaryIO) -> Iterator[str]:
        while True:
            raw = fh.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            if len(raw) > MAX_LINE_BYTES:
                raise Unreadable(self._physical + 1, f"the line is longer than {MAX_LINE_BYTES} bytes, more than "
                                                     "any HUD row holds (is this the right file?)")
            self.bytes_read += len(raw)
            if self._physical == 0 and raw.startswith(b"\xef\xbb\xbf"):
                self.bom = True
                raw = raw[3:]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise Unreadable(self._physical + 1, f"is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} "
                                                     "cannot be read; save the file as UTF-8)") from None
            self._physical += 1
            yield text

    def rows(self, file: str) -> Iterator[tuple[int, list[str]]]:
        """Yield (line, fields); the first item is (1, header). Raise :class:`Unreadable`."""
        try:
            with _open_regular(self.path) as fh:
                reader = csv.reader(self._lines(fh))
                try:
                    for fields in reader:
                        if not fields or fields == [""] or not any(f.strip() for f in fields):
                            self.blank_lines += 1
                            continue
                        yield reader.line_num, fields
                except csv.Error as exc:
                    raise Unreadable(self._physical, f"is not valid CSV ({exc})") from None
        except OSError as exc:
            raise Unreadable(0, f"cannot be read ({exc.strerror or exc})") from None


def header_map(header: list[str], file: str) -> tuple[list[tuple[int, hud.Column]], list[str], list[str], bool]:
    """Match a header to HUD's columns by name, ignoring case and spaces (and an earlier version's spelling).

    Return ([(position, column)] for the columns found, HUD columns missing, extra headers, in HUD's order?).
    """
    wanted = {c.name.lower(): c for c in hud.columns(file)}
    wanted.update({c.header.lower(): c for c in hud.columns(file)})
    by_name = {c.name: c for c in hud.columns(file)}
    for older, name in OLDER_SPELLINGS.get(file, {}).items():
        wanted.setdefault(older, by_name[name])
    found: list[tuple[int, hud.Column]] = []
    extra: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(header):
        col = wanted.get(name.strip().lower())
        if col is None or col.name in seen:
            extra.append(name)
            continue
        seen.add(col.name)
        found.append((i, col))
    missing = [c.header for c in hud.columns(file) if c.name not in seen]
    order = [c.name for _, c in found]
    in_order = order == [c.name for c in hud.columns(file) if c.name in seen] and all(
        i == n for n, (i, _) in enumerate(found))
    return found, missing, extra, in_order
