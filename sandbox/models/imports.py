"""Reports of HMIS CSV imports, for administrators."""

# No ``from __future__ import annotations``: the ``Mapped[...]`` annotations are read as they are
# declared, in this module (``Model`` names every class ``sandbox.models.<Class>``).

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.core.types import UTCDateTime
from sandbox.models.base import Model


class ImportRun(Model):
    """One import of an HMIS CSV set (imported or refused) with its findings, for administrators."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_ref: Mapped[str] = mapped_column(sa.String(64))
    source: Mapped[str] = mapped_column(sa.String(500))
    #: "imported" or "refused".
    outcome: Mapped[str] = mapped_column(sa.String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The CSV report written beside the import.
    report_path: Mapped[str] = mapped_column(sa.String(500))
    rows_kept: Mapped[int]
    refused: Mapped[int]
    skipped: Mapped[int]
    warned: Mapped[int]


class ImportFinding(Model):
    """One finding of an import (the first :data:`sandbox.csv.importer.STORED_FINDINGS` of a run are kept here)."""

    __tablename__ = "import_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("import_runs.id", ondelete="CASCADE"), index=True)
    file: Mapped[str] = mapped_column(sa.String(64))
    line: Mapped[int]
    column: Mapped[str] = mapped_column(sa.String(64))
    value: Mapped[str] = mapped_column(sa.String(200))
    severity: Mapped[str] = mapped_column(sa.String(8))
    message: Mapped[str] = mapped_column(sa.String(500))
