"""Forms of the credential pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from lms.accounts.requests.forms import ProjectIdsField
from lms.credentials.rules import USERNAME_MAX


class IssueForm(FlaskForm):
    # Length is checked by the rule (with the count in the message); this bound only stops absurd input.
    username = StringField("HMIS user name", validators=[DataRequired("Enter the HMIS user name."),
                                                          Length(max=4 * USERNAME_MAX,
                                                                 message=f"Use at most {USERNAME_MAX} characters.")],
                           description=f"The user name in the live HMIS: letters A to Z, digits, dots, underscores "
                                       f"and hyphens, at most {USERNAME_MAX} characters.")


class RevokeForm(FlaskForm):
    reason = TextAreaField("Why are the credentials revoked?",
                           validators=[DataRequired("Say why the credentials are revoked."),
                                       Length(max=500, message="Use at most 500 characters.")])


class AddProjectsForm(FlaskForm):
    # Which ids may be named (the person's agencies, the representative's) is the service's decision.
    project_ids = ProjectIdsField("Projects to add", coerce=int, choices=[], validate_choice=False)
