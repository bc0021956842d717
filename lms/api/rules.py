"""Pure rules of the JSON API: scopes, the shape of a token, reading the Authorization header."""

from __future__ import annotations

import hashlib
import re
import secrets

#: Scope → what it lets a token read or do, in words (the order is the page's order).
SCOPES: dict[str, str] = {
    "people:read": "A person's requirements for this fiscal year and whether live credentials may be issued",
    "recert:read": "A recertification cycle's status by CoC and agency",
    "credentials:read": "The live-credential issuance queue",
    "credentials:write": "Issue live credentials to an eligible person",
    "revocations:read": "Live credentials due to be made inactive after a revocation",
}

#: Every secret starts with this, so a leaked one is easy to recognise (and to search for).
PREFIX = "hmis_"
#: ``hmis_`` and 43 URL-safe characters (32 random bytes).
TOKEN_SHAPE = re.compile(r"hmis_[A-Za-z0-9_-]{43}")
#: Characters of the secret kept to show which token is which.
SHOWN = 12
NAME_MAX = 100


def new_secret() -> str:
    """Return a fresh token secret: 256 random bits."""
    return PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """Return the stored form of a secret (SHA-256 hex)."""
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def bearer_secret(header: str | None) -> str | None:
    """Return the secret of an ``Authorization: Bearer ...`` header, or None when it is missing or malformed."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not TOKEN_SHAPE.fullmatch(value):
        return None
    return value


def scope_problems(scopes: list[str]) -> list[str]:
    """Return what is wrong with a token's chosen scopes (empty: acceptable)."""
    if not scopes:
        return ["Choose at least one thing the token may do."]
    unknown = [s for s in scopes if s not in SCOPES]
    return [f"Unknown scope: {', '.join(sorted(set(unknown)))}."] if unknown else []


def name_problems(name: str) -> list[str]:
    name = name.strip()
    if not name:
        return ["Say what the token is for (for example, the reporting server's name)."]
    if len(name) > NAME_MAX:
        return [f"Use at most {NAME_MAX} characters for the name."]
    return []


def reach_problems(all_organisations: bool, coc_ids: list[int], agency_ids: list[int]) -> list[str]:
    """Return what is wrong with whom a token may read (empty: acceptable)."""
    if all_organisations and (coc_ids or agency_ids):
        return ["Choose either every CoC and agency or some of them, not both."]
    if not all_organisations and not (coc_ids or agency_ids):
        return ["Choose the CoCs or agencies the token may read (or every CoC and agency)."]
    return []
