"""Forms for the people admin pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from lms.accounts.roles import Role
from lms.accounts.services import MEMBERSHIP_KINDS


class PersonForm(FlaskForm):
    full_name = StringField("Full name", validators=[DataRequired("Enter the person's full name."), Length(max=200)])
    email = EmailField("E-mail address", validators=[DataRequired("Enter an e-mail address."), Length(max=254)])


class GrantForm(FlaskForm):
    role = SelectField("Role", choices=[(r.value, r.label) for r in Role])
    agency_id = SelectField("Agency (for an agency authorized representative)", coerce=int)
    coc_id = SelectField("CoC (for an HMIS manager)", coerce=int)


class MembershipForm(FlaskForm):
    agency_id = SelectField("Agency", coerce=int, validators=[DataRequired("Choose an agency.")])
    kind = SelectField("Works there as", choices=[(k, k.capitalize()) for k in MEMBERSHIP_KINDS])
