"""Typed domain errors: each carries a message fit to show a person."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service raises on purpose; views flash ``message``."""

    #: HTTP status a view answers with when it cannot simply flash and redirect.
    status_code = 400

    def __init__(self, message: str, *, reasons: list[str] | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: Every reason, when a rule found more than one.
        self.reasons = list(reasons or [])
        #: The form field the error is about, when there is one (forms show the message beside it).
        self.field = field


class NotFound(DomainError):
    """The thing asked for does not exist (or the asker may not know it exists)."""

    status_code = 404


class PermissionDenied(DomainError):
    """The person may not do this."""

    status_code = 403


class InvalidInput(DomainError):
    """The input is well-formed but breaks a rule (duplicate e-mail, weak password ...)."""

    status_code = 400


class Conflict(DomainError):
    """The thing changed under us or is in a state that forbids the action."""

    status_code = 409
