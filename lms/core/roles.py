"""Name the roles a person may hold, and what scope each needs."""

from __future__ import annotations

import enum


class Role(str, enum.Enum):
    """A role grant's kind. The value is what the database and the CLI use."""

    END_USER = "end_user"
    AGENCY_REP = "agency_rep"
    HELPDESK = "helpdesk"
    SYSADMIN = "sysadmin"
    HMIS_MANAGER = "hmis_manager"
    LEAD_ADMIN = "lead_admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def scope(self) -> str | None:
        """Return "agency", "coc" or None (system-wide)."""
        return ROLE_SCOPES.get(self)

    @property
    def is_staff(self) -> bool:
        """Staff roles act on other people's access, so they need TOTP."""
        return self is not Role.END_USER


ROLE_LABELS = {
    Role.END_USER: "End user",
    Role.AGENCY_REP: "Agency authorized representative",
    Role.HELPDESK: "Helpdesk reviewer",
    Role.SYSADMIN: "System administrator",
    Role.HMIS_MANAGER: "HMIS manager",
    Role.LEAD_ADMIN: "HMIS lead administrator",
}

ROLE_SCOPES = {
    Role.AGENCY_REP: "agency",
    Role.HMIS_MANAGER: "coc",
}

#: Roles that may open the organisation and people administration pages.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.LEAD_ADMIN})
#: Roles that may read the audit log and job runs.
OVERSIGHT_ROLES = frozenset({Role.SYSADMIN, Role.LEAD_ADMIN})
