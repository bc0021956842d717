"""The only way into the sandbox: workspaces, clients, ROI, enrollments, assessments, exits, records.

Every function takes the sandbox session first, may flush, never commits.
Every lookup is scoped to one workspace: an id from another workspace is
:class:`~lms.core.errors.NotFound`, exactly like an id that does not exist.
Records are written in HUD's field names and codes; ``record_id`` arguments
make a create idempotent (forms send a one-time id, so a double submit finds
the first record instead of making a second).

Other packages (and the sandbox's own pages and command line) use what this module
names below; the modules beside it hold the code, by area.
"""

from __future__ import annotations

from sandbox.services.assessments import assessment, record_assessment
from sandbox.services.client_records import (client_page, clients, clients_by_id, likely_duplicates, save_client,
                                             search_clients)
from sandbox.services.common import new_id
from sandbox.services.consent import NoConsent, current_roi, record_roi, require_roi
from sandbox.services.contacts import contacts_not_recorded_reason, record_current_living_situation
from sandbox.services.enrollments import enroll, required_for, set_move_in
from sandbox.services.exits import exit_enrollment
from sandbox.services.lookups import (enrollments_of, exit_of, get_client, get_enrollment, get_project, household,
                                      projects)
from sandbox.services.records import quality_findings, request_session, workspace_records
from sandbox.services.workspaces import (can_read, create_workspace, get_workspace, list_workspaces, record_catalog,
                                         reset_workspace, user_ref, workspace_for_user)

__all__ = [
    "NoConsent", "assessment", "can_read", "client_page", "clients", "clients_by_id", "contacts_not_recorded_reason",
    "create_workspace",
    "current_roi", "enroll", "enrollments_of", "exit_enrollment", "exit_of", "get_client", "get_enrollment",
    "get_project", "get_workspace", "household", "likely_duplicates", "list_workspaces", "new_id",
    "projects", "quality_findings",
    "record_assessment", "record_catalog", "record_current_living_situation", "record_roi", "request_session",
    "require_roi", "required_for", "reset_workspace", "save_client", "search_clients", "set_move_in",
    "user_ref", "workspace_for_user", "workspace_records",
]
