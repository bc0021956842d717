"""Authentication's state changes, in three modules.

- :mod:`lms.auth.services.signin`: sign-in, the second factor, throttling and locks.
- :mod:`lms.auth.services.sessions`: opening, renewing, ending and checking sessions.
- :mod:`lms.auth.services.password_changes`: one's own password change and the reset link, which reuse
  the sign-in throttle and session ending.

The names other modules use are re-exported here, so ``from lms.auth import services`` keeps working.
"""

from lms.auth.services.password_changes import (change_password, find_reset_token, request_password_reset,
                                                reset_password, send_reset_links)
from lms.auth.services.sessions import (SignIn, check_session, end_all_sessions, end_session, renew_session,
                                        session_limits, start_session)
from lms.auth.services.signin import (BAD_CREDENTIALS, AccountLocked, LoginFailed, Throttled, WeakPassword,
                                      authenticate, begin_totp_enrolment, confirm_totp_enrolment, new_recovery_codes,
                                      password_problems, provisioning_uri, reset_totp, set_password, unlock,
                                      verify_second_factor)

__all__ = [
    "BAD_CREDENTIALS", "AccountLocked", "LoginFailed", "SignIn", "Throttled", "WeakPassword", "authenticate",
    "begin_totp_enrolment", "change_password", "check_session", "confirm_totp_enrolment", "end_all_sessions",
    "end_session", "find_reset_token", "new_recovery_codes", "password_problems", "provisioning_uri",
    "renew_session", "request_password_reset", "reset_password", "reset_totp", "send_reset_links",
    "session_limits", "set_password", "start_session", "unlock", "verify_second_factor",
]
