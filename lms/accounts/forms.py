"""Forms of the people administration pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from collections.abc import Iterable

from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from lms.accounts.services import MEMBERSHIP_KINDS
from lms.core.roles import Role


def role_choices(roles: Iterable[Role] = tuple(Role)) -> list[tuple[str, str]]:
    """Return ``roles`` as select choices, in the order of :class:`Role` (views pass the grantable ones)."""
    roles = set(roles)
    return [(r.value, r.label) for r in Role if r in roles]


class PersonForm(FlaskForm):
    full_name = StringField("Full name", validators=[DataRequired("Enter the person's full name."), Length(max=200)])
    email = EmailField("E-mail address", validators=[DataRequired("Enter the e-mail address."),
                                                     Email("Enter an e-mail address like name@example.org."),
                                                     Length(max=254)])


class NewPersonForm(PersonForm):
    role = SelectField("First role", choices=role_choices(), validators=[DataRequired("Choose a role.")])
    agency_id = SelectField("Agency (end users and agency representatives)", coerce=int, validators=[Optional()])
    coc_id = SelectField("CoC (HMIS managers)", coerce=int, validators=[Optional()])


class GrantForm(FlaskForm):
    role = SelectField("Role", choices=role_choices(), validators=[DataRequired("Choose a role.")])
    agency_id = SelectField("Agency (for agency-scoped roles)", coerce=int, validators=[Optional()])
    coc_id = SelectField("CoC (for HMIS managers)", coerce=int, validators=[Optional()])


class MembershipForm(FlaskForm):
    # Own ids: the grant form on the same page has an agency_id too.
    agency_id = SelectField("Agency", coerce=int, validators=[DataRequired("Choose an agency.")],
                            id="membership-agency_id")
    kind = SelectField("Works there as", id="membership-kind",
                       choices=[(k, {"employee": "Paid employee", "volunteer": "Supervised volunteer",
                                     "intern": "Intern"}[k]) for k in MEMBERSHIP_KINDS])


class DeactivateForm(FlaskForm):
    #: Sent only by the confirmation page's button: a deactivation without it changes nothing.
    confirm = SubmitField("Yes, deactivate", validators=[DataRequired("Confirm the deactivation.")])
