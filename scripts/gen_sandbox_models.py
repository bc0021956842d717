"""Write the HUD columns of the sandbox models from the FY2026 HMIS CSV column specification.

Each HUD table in ``sandbox/models/`` holds a block of column declarations between two marker comments::

    # >>> Client.csv (scripts/gen_sandbox_models.py)
    PersonalID: Mapped[str] = mapped_column(sa.String(32))
    ...
    # <<< Client.csv

This script rewrites every such block from ``lms.hud.columns(file)``, so the committed models are plain,
explicit code (type checkers and readers see every column) while HUD's specification stays their one source.
``; only KeyID required`` in the opening marker marks a file kept as it comes: only its key is NOT NULL, so an
import keeps a row whose other required values are blank and reports it.

Run it by hand when the specification changes, then write a migration for what moved::

    python scripts/gen_sandbox_models.py          # rewrite the blocks
    python scripts/gen_sandbox_models.py --check  # exit 1 if a block differs from the specification

It is a development tool: nothing imports it at run time.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import lms.hud as hud  # noqa: E402  (after the path is set, so the script runs from anywhere)

MODELS = ROOT / "sandbox" / "models"
OPEN = re.compile(r"^(?P<indent>\s*)# >>> (?P<file>\S+\.csv) \(scripts/gen_sandbox_models\.py"
                  r"(?:; only (?P<key>\w+) required)?\)$")
#: HUD's column types → (Python type of the annotation, SQLAlchemy type).
TYPES = {"integer": ("int", "sa.Integer"), "date": ("date", "sa.Date"), "datetime": ("datetime", "sa.DateTime")}


def column_line(col: hud.Column, *, key: str | None, indent: str) -> str:
    """Return one column's declaration: money as Numeric(12, 2), text with HUD's length (255 when HUD gives none)."""
    if col.is_money:
        py, sql = "Decimal", "sa.Numeric(12, 2)"
    elif col.type == "string":
        py, sql = "str", f"sa.String({col.limit or 255})"
    else:
        py, sql = TYPES[col.type]
    nullable = col.name != key if key else not col.required
    return f"{indent}{col.name}: Mapped[{py}{' | None' if nullable else ''}] = mapped_column({sql})"


def block(file_name: str, *, key: str | None, indent: str) -> list[str]:
    """Return the declarations of one file's columns in HUD's order (ExportID is written only at export)."""
    return [column_line(col, key=key, indent=indent) for col in hud.columns(file_name)
            if col.name not in hud.EXPORT_ONLY]


def rewrite(text: str) -> tuple[str, list[str]]:
    """Return ``text`` with every marked block written afresh, and the files whose blocks it holds."""
    lines, out, files = text.splitlines(), [], []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        m = OPEN.match(lines[i])
        i += 1
        if not m:
            continue
        file_name = m["file"]
        close = f"{m['indent']}# <<< {file_name}"
        end = next((j for j in range(i, len(lines)) if lines[j] == close), None)
        if end is None:
            raise SystemExit(f"no closing '# <<< {file_name}' after its opening marker")
        out += block(file_name, key=m["key"], indent=m["indent"])
        files.append(file_name)
        i = end
    return "\n".join(out) + "\n", files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a block is out of date")
    args = parser.parse_args(argv)
    stale, covered = [], []
    for path in sorted(MODELS.glob("*.py")):
        old = path.read_text(encoding="utf-8")
        new, files = rewrite(old)
        covered += files
        if new != old:
            stale.append(path.relative_to(ROOT))
            if not args.check:
                path.write_text(new, encoding="utf-8")
    missing = sorted(set(hud.csv_files()) - {"Export.csv"} - set(covered))
    for file_name in missing:
        print(f"no model block for {file_name}", file=sys.stderr)
    for path in stale:
        print(f"{'out of date' if args.check else 'rewrote'}: {path}")
    return 1 if missing or (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
