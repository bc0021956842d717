"""Forms of the quiz pages: the test's forms declare only the CSRF token (the answers are read by the rules);
the content editors' forms declare their fields."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class StartForm(FlaskForm):
    """Start (or continue) a test."""


class SubmitForm(FlaskForm):
    """Send the answers; each question's field ``q<position>`` is read by ``rules.read_answers``."""


class VideoUploadForm(FlaskForm):
    """Replace the course video: the files are read from ``request.files`` (video, captions, transcript)."""


class CourseTextForm(FlaskForm):
    title = StringField("Course title", validators=[DataRequired("Give the course a title."),
                                                    Length(max=200, message="The title is longer than 200 characters.")])
    description = TextAreaField("Description", validators=[
        Length(max=5000, message="The description is longer than 5,000 characters.")])
    resources = TextAreaField("Resources", validators=[
        Length(max=20000, message="The resources are longer than 20,000 characters.")])
    base_version = HiddenField()


class BankForm(FlaskForm):
    text = TextAreaField("Question bank (JSON)", validators=[
        DataRequired("Paste the question bank."), Length(max=400000, message="The bank is longer than 400,000 "
                                                                             "characters.")])
    base_version = HiddenField()
