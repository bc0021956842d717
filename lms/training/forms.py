"""Forms of the training pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField


class SignUpraForm(FlaskForm):
    """The signature of the agreement; the policy checkboxes are read by the service (one per policy)."""

    #: The version the page showed; the service refuses any other.
    version_id = HiddenField()
    #: Length and characters are checked by the rule, so every refusal reads the same.
    full_name = StringField("Your full name")
