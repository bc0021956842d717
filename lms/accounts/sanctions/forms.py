"""Forms of the violation pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from lms.accounts.sanctions.rules import Panel


class ViolationForm(FlaskForm):
    email = EmailField("The person's e-mail address", validators=[DataRequired("Enter the person's e-mail address."),
                                                                   Length(max=254)])
    agency_id = SelectField("Agency", coerce=int, validate_choice=False,
                            validators=[InputRequired("Choose the agency the person acted for.")])
    occurred_on = DateField("Day it happened", validators=[InputRequired("Enter the day the violation happened.")])
    description = TextAreaField("What happened", validators=[DataRequired("Describe what happened."),
                                                             Length(max=4000)])
    broke_law = BooleanField("It broke a local, state or federal law")


class ReviewForm(FlaskForm):
    outcome = RadioField("Outcome", choices=[("confirm", "Confirm the violation"),
                                             ("dismiss", "Dismiss it and lift the suspension")],
                         validators=[DataRequired("Choose confirm or dismiss.")])
    note = TextAreaField("Reason", validators=[DataRequired("Give the reason for your decision."), Length(max=4000)])


class RemedyForm(FlaskForm):
    remedy = TextAreaField("Action the agency took", validators=[DataRequired("Describe the action the agency took."),
                                                                 Length(max=4000)])


class PanelForm(FlaskForm):
    decision = RadioField("The panel decided", choices=[(p.value, p.label) for p in Panel],
                          validators=[DataRequired("Choose the panel's decision.")])
    note = TextAreaField("Panel's reasons", id="panel-note",
                         validators=[DataRequired("Give the panel's reasons."), Length(max=4000)])
