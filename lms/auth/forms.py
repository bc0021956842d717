"""Sign-in, second-factor and password forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from lms.auth.passwords import MAX_LENGTH

#: Generous bound on what is read from a password field: longer input is refused by the
#: policy with a message, never silently truncated.
_FIELD_MAX = 4 * MAX_LENGTH


class LoginForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired("Enter your e-mail address."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=_FIELD_MAX)])


class CodeForm(FlaskForm):
    code = StringField("6-digit code from your authenticator app, or a recovery code",
                       validators=[DataRequired("Enter the code."), Length(max=20)])


class EnrolForm(FlaskForm):
    code = StringField("6-digit code from your authenticator app",
                       validators=[DataRequired("Enter the code shown in your app."), Length(max=20)])


class _NewPassword:
    new_password = PasswordField("New password", validators=[DataRequired("Enter a new password."),
                                                             Length(max=_FIELD_MAX)])
    confirm = PasswordField("Type the new password again",
                            validators=[DataRequired("Type the new password again."),
                                        EqualTo("new_password", "The two new passwords are not the same.")])


class ChangePasswordForm(FlaskForm, _NewPassword):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password."),
                                                                     Length(max=_FIELD_MAX)])
    new_password = _NewPassword.new_password
    confirm = _NewPassword.confirm


class ResetPasswordForm(FlaskForm):
    new_password = _NewPassword.new_password
    confirm = _NewPassword.confirm


class ForgotForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired("Enter your e-mail address."),
                                                     Email("Enter an e-mail address like name@example.org."),
                                                     Length(max=254)])
