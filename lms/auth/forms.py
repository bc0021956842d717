"""Sign-in, second-factor and password forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from lms.auth import rules
from lms.auth.passwords import MAX_LENGTH

#: Generous bound on what is read from a password field: longer input is refused by the
#: policy with a message, never silently truncated.
_FIELD_MAX = 4 * MAX_LENGTH


def _no_control_chars(message: str):
    """Refuse NUL, other control and invisible format characters (the database refuses NUL)."""

    def check(form, field) -> None:  # noqa: ANN001 - WTForms validator signature
        if rules.has_control_chars(field.data):
            raise ValidationError(message)

    return check


_EMAIL_CHARS = _no_control_chars("An e-mail address cannot hold invisible or control characters. "
                                 "Type it again, like name@example.org.")


def _totp_digits(form, field) -> None:  # noqa: ANN001
    if rules.totp_code(field.data) is None:
        raise ValidationError("Enter the 6 digits (0 to 9) your authenticator app shows now.")


def _totp_or_recovery(form, field) -> None:  # noqa: ANN001
    if rules.totp_code(field.data) is None and not rules.is_recovery_code(field.data):
        raise ValidationError("Enter the 6 digits (0 to 9) your authenticator app shows now, "
                              "or a recovery code like abcde-23456.")


class LoginForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired("Enter your e-mail address."), Length(max=254),
                                                     _EMAIL_CHARS])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=_FIELD_MAX)])


class CodeForm(FlaskForm):
    code = StringField("6-digit code from your authenticator app, or a recovery code",
                       validators=[DataRequired("Enter the code."), Length(max=20), _totp_or_recovery])


class EnrolForm(FlaskForm):
    code = StringField("6-digit code from your authenticator app",
                       validators=[DataRequired("Enter the code shown in your app."), Length(max=20), _totp_digits])


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
                                                     Length(max=254), _EMAIL_CHARS,
                                                     Email("Enter an e-mail address like name@example.org.")])
