"""Helpers the sandbox page tests share: find a project, enter a client into it, read a page's fields and errors."""

import re

import sqlalchemy as sa

from sandbox.models import Project
from tests.functional.sandbox.conftest import ENTRY, location_id


def offered_project_id(client, personal_id, type_label="Emergency Shelter - Entry Exit"):
    """Return the ProjectID the project-start page offers for this project type, as a person would pick it."""
    html = client.get(f"/sandbox/clients/{personal_id}/enroll").get_data(as_text=True)
    return re.search(rf'<option [^>]*value="([0-9a-f]{{32}})"[^>]*>[^<]*\({re.escape(type_label)}\)</option>',
                     html).group(1)


def project_of_type(sandbox_session, project_type=0):
    return sandbox_session.execute(sa.select(Project.ProjectID).where(Project.ProjectType == project_type)).scalar_one()


def enrolled(client, make_sandbox_client, type_label="Emergency Shelter - Entry Exit"):
    """Enter a new client into a project of this type through the pages; return the EnrollmentID."""
    personal_id = make_sandbox_client(client)
    project_id = offered_project_id(client, personal_id, type_label)
    return location_id(client.post(f"/sandbox/clients/{personal_id}/enroll", data={**ENTRY, "ProjectID": project_id}),
                       "enrollments")


def field_errors(html):
    """Map each field shown with an error to its message."""
    return dict(re.findall(r'id="([A-Za-z0-9_]+)-error"[^>]*>([^<]*)<', html))


def _select_block(html, select_id):
    return re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)


def selected_value(html, select_id):
    """Return the value of the option selected in this select, or "" when none is."""
    found = re.search(r'<option[^>]*\bselected\b[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*\bselected\b',
                      _select_block(html, select_id))
    return (found.group(1) or found.group(2)) if found else ""


def opening_tag(html, testid):
    """The opening tag of the element with this data-testid."""
    return re.search(rf'<[^>]*data-testid="{testid}"[^>]*>', html).group(0)
