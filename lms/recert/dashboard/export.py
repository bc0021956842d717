"""The dashboard's list as CSV or XLSX: every matching person, read in batches (see :func:`board.every_row`)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Iterable

from lms.core import display
from lms.recert import rules
from lms.recert.dashboard.board import Row
from lms.training import rules as training_rules

COLUMNS = ("Name", "E-mail", "Status", "CoC", "Agencies",
           *(training_rules.requirement_label(k) for k in rules.REQUIREMENTS), "Completed", "Still missing")


def _local(moment: datetime | None, zone) -> datetime | None:  # noqa: ANN001
    return display.to_zone(moment, zone).replace(tzinfo=None, microsecond=0) if moment else None


def export_rows(rows: Iterable[Row], zone_name: str) -> Iterable[list]:
    """Yield each row's cells: text, and times as naive local datetimes (the HMIS Lead's zone)."""
    zone = display.zone_named(zone_name)
    for r in rows:
        cocs = sorted({a.coc_code for a in r.agencies})
        yield [r.user.full_name, r.user.email, r.status_label, "; ".join(cocs), "; ".join(a.name for a in r.agencies),
               *(_local(r.standing.met.get(k), zone) for k in rules.REQUIREMENTS),
               _local(r.standing.completed_at, zone), "; ".join(r.standing.missing_labels())]


def _text(value) -> str:  # noqa: ANN001
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return str(value)


def to_csv(rows: Iterable[Row], zone_name: str) -> str:
    """Write the rows as CSV, every text cell safe from being run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for cells in export_rows(rows, zone_name):
        writer.writerow([rules.spreadsheet_safe(_text(c)) for c in cells])
    return out.getvalue()


def to_xlsx(rows: Iterable[Row], zone_name: str, *, title: str) -> bytes:
    """Write the rows as an Excel workbook; text stays text (never a formula), times are real dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])

    def cell(value):  # noqa: ANN001, ANN202
        if isinstance(value, str):
            c = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            c.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
            return c
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, datetime):
            c.number_format = "yyyy-mm-dd hh:mm"
        return c

    ws.append([cell(c) for c in COLUMNS])
    for cells in export_rows(rows, zone_name):
        ws.append([cell(c) for c in cells])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
