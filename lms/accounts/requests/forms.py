"""Forms of the access request pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from lms.accounts.requests.rules import EMPLOYMENT_LABELS, MAX_REASON
from lms.auth.forms import ResetPasswordForm

_EMPLOYMENT = ("Choose whether the person is a paid employee, a supervised volunteer or an intern: the HMIS Lead "
               "grants access to no one else.")



def _strip(value):  # noqa: ANN001, ANN202 - a WTForms filter
    return value.strip() if isinstance(value, str) else value


class ProjectIdsField(SelectMultipleField):
    """Project ids as whole numbers; which ones the agency may name is the service's decision."""

    def process_formdata(self, valuelist):  # noqa: ANN001 - WTForms signature
        if any(not (v.isascii() and v.isdigit()) or len(v) > 10 for v in valuelist):
            self.data = []
            raise ValueError("Choose projects from the list.")
        self.data = [int(v) for v in valuelist]

    def pre_validate(self, form) -> None:  # noqa: ANN001 - choices are checked by the service, with its words
        pass


class AccessRequestForm(FlaskForm):
    full_name = StringField("Full name", filters=[_strip], validators=[DataRequired("Enter the person's full name."), Length(max=200)])
    email = EmailField("E-mail address", filters=[_strip], validators=[DataRequired("Enter the person's e-mail address."),
                                                     Email("Enter an e-mail address like name@example.org."),
                                                     Length(max=254)])
    employment = RadioField("The person is", choices=list(EMPLOYMENT_LABELS.items()),
                            validators=[DataRequired(_EMPLOYMENT)], invalid_choice_message=_EMPLOYMENT)
    project_ids = ProjectIdsField("Projects the person will enter data for", coerce=int, choices=[],
                                  validate_choice=False)
    had_access_before = BooleanField("The person had HMIS access before (at this or another agency)")
    justification = TextAreaField("Why the person needs HMIS access",
                                  validators=[DataRequired("Say why the person needs HMIS access."),
                                              Length(max=MAX_REASON)])


class DecisionForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=MAX_REASON)])


class InvitationForm(ResetPasswordForm):
    """Choose a first password (the same fields and checks as a reset)."""
