"""Forms of the people administration pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from lms.accounts.services import MEMBERSHIP_KINDS
from lms.core.roles import Role


def _role_choices():
    return [(r.value, r.label) for r in Role]


class PersonForm(FlaskForm):
    full_name = StringField("Full name", validators=[DataRequired("Enter the person's full name."), Length(max=200)])
    email = EmailField("E-mail address", validators=[DataRequired("Enter the e-mail address."),
                                                     Email("Enter an e-mail address like name@example.org."),
                                                     Length(max=254)])


class NewPersonForm(PersonForm):
    role = SelectField("First role", choices=_role_choices(), validators=[DataRequired("Choose a role.")])
    agency_id = SelectField("Agency (end users and agency representatives)", coerce=int, validators=[Optional()])
    coc_id = SelectField("CoC (HMIS managers)", coerce=int, validators=[Optional()])


class GrantForm(FlaskForm):
    role = SelectField("Role", choices=_role_choices(), validators=[DataRequired("Choose a role.")])
    agency_id = SelectField("Agency (for agency-scoped roles)", coerce=int, validators=[Optional()])
    coc_id = SelectField("CoC (for HMIS managers)", coerce=int, validators=[Optional()])


class MembershipForm(FlaskForm):
    agency_id = SelectField("Agency", coerce=int, validators=[DataRequired("Choose an agency.")])
    kind = SelectField("Works there as", choices=[(k, {"employee": "Paid employee", "volunteer": "Supervised volunteer",
                                                       "intern": "Intern"}[k]) for k in MEMBERSHIP_KINDS])
