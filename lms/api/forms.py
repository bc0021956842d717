"""The form that creates an API token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from lms.api import rules


class IdsField(SelectMultipleField):
    """Ids as whole numbers; whether they exist is the service's decision."""

    def process_formdata(self, valuelist):  # noqa: ANN001 - WTForms signature
        if any(not (v.isascii() and v.isdigit()) or len(v) > 10 for v in valuelist):
            self.data = []
            raise ValueError("Choose from the list.")
        self.data = [int(v) for v in valuelist]

    def pre_validate(self, form) -> None:  # noqa: ANN001 - the service checks the ids exist
        pass


class ScopesField(SelectMultipleField):
    def pre_validate(self, form) -> None:  # noqa: ANN001 - the rule names unknown scopes in its own words
        pass


class TokenForm(FlaskForm):
    name = StringField("What the token is for", validators=[
        DataRequired("Say what the token is for (for example, the reporting server's name)."),
        Length(max=rules.NAME_MAX, message=f"Use at most {rules.NAME_MAX} characters.")])
    scopes = ScopesField("What it may do", choices=list(rules.SCOPES.items()))
    all_organisations = BooleanField("Every CoC and agency")
    coc_ids = IdsField("CoCs", coerce=int, choices=[], validate_choice=False)
    agency_ids = IdsField("Agencies", coerce=int, choices=[], validate_choice=False)
