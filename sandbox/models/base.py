"""What every sandbox model shares: its public name, the workspace it belongs to, references by HUD id.

HUD identifiers (PersonalID, EnrollmentID ...) are unique only within a workspace, so a record points at
another through the pair (workspace, HUD id), never across workspaces.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import mapped_column

from sandbox.db import SandboxBase


class Model(SandboxBase):
    """The base of every model of ``sandbox.models``, each named as the package exports it.

    A flush inserts the pending rows of different classes in the order of their module-qualified names
    (SQLAlchemy's ``Mapper._sort_key``; the models declare no relationships to order them otherwise).
    They were one module, ``sandbox.models``, so a client, its enrollment and its income records added
    together went in as Client, Enrollment, Exit, IncomeBenefits: parents first, which the foreign keys
    need.  Keeping the name ``sandbox.models.<Class>`` whatever file declares a class keeps that order.
    """

    __abstract__ = True

    def __init_subclass__(cls, **kw: Any) -> None:
        cls.__module__ = __package__  # before the mapper is made (in super().__init_subclass__)
        super().__init_subclass__(**kw)


def workspace_fk() -> Any:
    """Return the ``workspace_id`` column: every row belongs to one workspace and goes with it."""
    return mapped_column(sa.ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)


def hud_ref(columns: tuple[str, ...], table: str, targets: tuple[str, ...]) -> sa.ForeignKeyConstraint:
    """Return a reference from (workspace, ``columns``) to (workspace, ``targets``) of ``table``."""
    return sa.ForeignKeyConstraint(("workspace_id", *columns),
                                   [f"{table}.workspace_id"] + [f"{table}.{t}" for t in targets], ondelete="CASCADE")
