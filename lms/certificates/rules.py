"""Pure certificate rules: the verification code, the public URL, and whether a certificate may be issued.

No Flask, no SQLAlchemy: facts in, answers out.
"""

from __future__ import annotations

import re
import secrets

#: Crockford's base 32: digits and capitals without I, L, O and U, so a code read off paper is typed right.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: 12 symbols of 32: 60 random bits, so codes cannot be guessed or enumerated.
CODE_LENGTH = 12
#: Longest text worth normalising; anything longer is no code (refused before any query).
MAX_TYPED = 40

_CODE = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")
#: What people type that means a symbol of the alphabet (Crockford's decoding rules).
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """Return a fresh random verification code (from the operating system's secure random source)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(typed: str | None) -> str | None:
    """Return the code someone typed in its stored form, or None when it cannot be a code.

    Case, spaces and hyphens do not matter, and O, I and L read as 0, 1 and 1.  Over-long text, other
    scripts' letters and digits, and control characters are not codes.
    """
    if not typed or len(typed) > MAX_TYPED or not typed.isascii():
        return None
    cleaned = re.sub(r"[\s-]", "", typed).upper().translate(_LOOKALIKES)
    return cleaned if _CODE.fullmatch(cleaned) else None


def display_code(code: str) -> str:
    """Group a code for reading aloud and copying from paper: ``ABCD-EFGH-JKMN``."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def verification_url(base_url: str, code: str) -> str:
    """Return the public page that verifies ``code``, on the configured site address (never the Host header)."""
    return f"{base_url.rstrip('/')}/verify/{code}"


def issue_refusals(*, complete: bool, active: bool, sanctioned: bool, credential_revoked: bool,
                   access_revoked: bool) -> list[str]:
    """Return every reason a certificate may not be issued now (empty: it may).

    The certificate attests the yearly training the manual asks of every end user "to maintain HMIS
    access".  It is not issued while the yearly requirements are unmet, nor to a person whose access the
    HMIS Lead or their agency has taken away: a deactivated account, a suspension for a policy violation
    (Compliance and Sanctions), live credentials revoked and not issued again, or access revoked by
    their last agency (Revoking End User Access).  Those same events revoke certificates already issued,
    so issuing one then would only hand out a certificate that is void.  A suspension for a missed
    recertification does not stop it: completing that year's training is what lifts it.
    """
    reasons = []
    if not complete:
        reasons.append("The yearly requirements of this fiscal year are not all met.")
    if not active:
        reasons.append("The account is deactivated.")
    if sanctioned:
        reasons.append("HMIS access is suspended for a policy violation.")
    if credential_revoked:
        reasons.append("The live HMIS credentials were revoked.")
    if access_revoked:
        reasons.append("HMIS access was revoked by the person's agency.")
    return reasons
