"""Forms of the organisation pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional


class CocForm(FlaskForm):
    code = StringField("HUD CoC code", validators=[DataRequired("Enter the CoC code."), Length(max=6)],
                       description="Two letters, a dash and three digits, like MO-606.")
    name = StringField("Name", validators=[DataRequired("Enter the CoC's name."), Length(max=200)])


class AgencyForm(FlaskForm):
    coc_id = SelectField("Continuum of Care", coerce=int, validators=[DataRequired("Choose a CoC.")])
    name = StringField("Agency name", validators=[DataRequired("Enter the agency's name."), Length(max=200)])
    apa_signed_on = DateField("Agency Partner Agreement signed on", validators=[Optional()],
                              description="The date the Executive Director signed the current APA.")
    apa_renewal_due = DateField("APA renewal due", validators=[Optional()],
                                description="Leave blank for one year after signing.")


class ProjectForm(FlaskForm):
    agency_id = SelectField("Agency", coerce=int, validators=[DataRequired("Choose an agency.")])
    name = StringField("Project name", validators=[DataRequired("Enter the project's name."), Length(max=200)])
    project_type = SelectField("HUD project type", coerce=int, validators=[InputRequired("Choose the project type.")])
