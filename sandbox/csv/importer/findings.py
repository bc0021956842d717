"""What an import found: three severities, a CSV report written as it goes, a summary by file and severity."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from lms.core.errors import InvalidInput

#: The set cannot be used: nothing is imported.
REFUSE = "refuse"
#: The row (and the rows that hang on it) is left out; the rest is imported.
SKIP = "skip"
#: Kept, perhaps normalised; the report says what was changed.
WARN = "warn"
SEVERITIES = (REFUSE, SKIP, WARN)
#: Findings kept in memory (for the exception, the page and the database); the CSV report holds every one.
STORED_FINDINGS = 1000
REPORT_HEADER = ["file", "line", "column", "value", "severity", "message"]


@dataclass(frozen=True)
class Finding:
    file: str
    line: int  #: 1 is the header row; 0 means the file (or the set) as a whole
    column: str
    value: str
    severity: str
    message: str

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "") + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}" if where else self.message


class Findings:
    """Collect findings: count them by (file, severity), keep the first few, stream all to ``report_path``."""

    def __init__(self, report_path: Path | None = None) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()
        self.kept: list[Finding] = []
        self.report_path = report_path
        self._fh: TextIO | None = None
        self._writer = None
        if report_path is not None:
            self._fh = Path(report_path).open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._fh, lineterminator="\r\n")
            self._writer.writerow(REPORT_HEADER)

    def add(self, severity: str, file: str, line: int, column: str, value: object, message: str) -> None:
        text = "" if value is None else str(value)[:200]
        finding = Finding(file, line, column, text, severity, message)
        self.counts[(file, severity)] += 1
        if len(self.kept) < STORED_FINDINGS:
            self.kept.append(finding)
        if self._writer is not None:
            self._writer.writerow([file, line, column, text, severity, message])

    def total(self, severity: str) -> int:
        return sum(n for (_, s), n in self.counts.items() if s == severity)

    @property
    def refused(self) -> list[Finding]:
        return [f for f in self.kept if f.severity == REFUSE]

    def summary(self) -> list[tuple[str, int, int, int]]:
        """Return (file, refused, skipped, warned) for every file with a finding, in file order."""
        files = list(dict.fromkeys(f for f, _ in self.counts))
        return [(f, self.counts[(f, REFUSE)], self.counts[(f, SKIP)], self.counts[(f, WARN)]) for f in files]

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


class ImportRefused(InvalidInput):
    """Raise when a set cannot be used; nothing was imported (the caller rolls back)."""

    def __init__(self, problems: list[Finding], findings: Findings | None = None) -> None:
        super().__init__(f"The CSV set was refused: {len(problems)} problem(s); nothing was imported.",
                         reasons=[str(p) for p in problems])
        self.problems = problems
        self.findings = findings

    def report_lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class WorkspaceNotEmpty(ImportRefused):
    """Raise when the target workspace already holds clients; a set is imported only into an empty one."""

    def __init__(self, clients: int) -> None:
        message = (f"Import goes into an empty workspace: this one holds {clients} client(s). "
                   "Reset it first, or import into a new workspace.")
        super().__init__([Finding("", 0, "", "", REFUSE, message)])
        self.message = message
        self.args = (message,)

    def report_lines(self) -> list[str]:
        return [self.message]


class ImportResult(dict):
    """Rows kept per file (a dict, file → rows), with the findings and where the report was written."""

    def __init__(self, rows: dict[str, int], findings: Findings) -> None:
        super().__init__(rows)
        self.findings = findings
        self.report_path = findings.report_path

    def summary_lines(self) -> list[str]:
        lines = [f"{'file':<28} {'rows':>8} {'refused':>8} {'skipped':>8} {'warned':>8}"]
        files = list(dict.fromkeys([*self.keys(), *(f for f, *_ in self.findings.summary())]))
        by_file = {f: (r, s, w) for f, r, s, w in self.findings.summary()}
        for name in files:
            r, s, w = by_file.get(name, (0, 0, 0))
            lines.append(f"{name or '(the set)':<28} {self.get(name, 0):>8} {r:>8} {s:>8} {w:>8}")
        return lines
