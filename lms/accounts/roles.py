"""Re-export the roles (they live in lms.core.roles so every package may check them)."""

from lms.core.roles import ADMIN_ROLES, OVERSIGHT_ROLES, ROLE_LABELS, ROLE_SCOPES, Role

__all__ = ["ADMIN_ROLES", "OVERSIGHT_ROLES", "ROLE_LABELS", "ROLE_SCOPES", "Role"]
