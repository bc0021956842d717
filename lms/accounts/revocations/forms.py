"""Forms of the revocation pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from lms.accounts.revocations.rules import Kind


class NoticeForm(FlaskForm):
    # validate_choice off: the service decides, so a stale or forged id gets its own clear answer.
    membership_id = SelectField("Person", coerce=int, validate_choice=False,
                                validators=[InputRequired("Choose the person.")])
    kind = SelectField("Why", choices=[(k.value, k.label) for k in Kind],
                       validators=[DataRequired("Choose why the person no longer needs access.")])
    effective_on = DateField("Last day the person needs HMIS access",
                             validators=[InputRequired("Enter the date the person stops needing HMIS access.")])
    reason = TextAreaField("What changed", validators=[DataRequired("Say briefly why the person no longer needs access."),
                                                       Length(max=2000)])


class DoneForm(FlaskForm):
    confirm = SubmitField("Record as inactive")
