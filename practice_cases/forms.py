"""Forms of the practice-case pages.  Ids arrive as text and are read by the views (``views._id``); the
services check every rule and refuse in words, so the forms only bound the lengths."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional


class SubmitForm(FlaskForm):
    """Submit a segment for review (the segment is in the URL)."""


class ActionForm(FlaskForm):
    """A button with no fields: approve, retire a snippet."""


class AssignForm(FlaskForm):
    reviewer_id = SelectField("Reviewer", choices=[], validate_choice=False)


class CommentForm(FlaskForm):
    field = HiddenField(validators=[Length(max=120)])
    snippet_id = SelectField("Start from a feedback snippet", choices=[], validate_choice=False)
    text = TextAreaField("Comment", validators=[Length(max=5000, message="Keep the comment to 5000 characters.")])


class ReturnForm(FlaskForm):
    text = TextAreaField("What to correct (optional if you already commented)",
                         validators=[Length(max=5000, message="Keep the comment to 5000 characters.")])


class OneOnOneForm(FlaskForm):
    held_at = StringField("When the training took place", validators=[Length(max=40)])
    trainer = StringField("Who gave the training", validators=[Length(max=200, message="At most 200 characters.")])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000, message="At most 5000 characters.")])


class DecideForm(FlaskForm):
    outcome = RadioField("Decision", choices=[], validate_choice=False)
    reason = TextAreaField("Reason (required when refusing access)",
                           validators=[Length(max=2000, message="Keep the reason to 2000 characters.")])


class SnippetForm(FlaskForm):
    element = StringField("Data element (a HUD column such as Enrollment.EntryDate, or overall)",
                          validators=[Length(max=120, message="At most 120 characters.")])
    text = TextAreaField("Feedback", validators=[Length(max=5000, message="At most 5000 characters.")])
