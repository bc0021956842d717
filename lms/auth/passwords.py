"""Check passwords against the manual's rules, and hash them with Argon2id.

The manual ("Username and Password"): at least eight characters; at least one
number and one letter; not using or including the username, the HMIS name or the
HMIS vendor's name; not consisting entirely of a common-dictionary word, or any
of those spelled backwards.  We add, as the manual's "reasonable industry
standard": an upper bound of 128 characters (refused, never truncated), NFKC
normalisation, a dictionary word merely wrapped in digits and symbols
("Summer2024!") or cut by them ("Sum-mer2024", "Sum2mer") counts as the word,
invisible characters and added accents do not hide a word ("Sum\u200bmer"),
and a blocklist of 30,000 common passwords.

The word list is the "web2" list shipped by the ``english-words`` package (about
235,000 words, Webster's 2nd); the common passwords are the 30,000 most common
passwords shipped by ``zxcvbn``.  Both load once, lazily.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MAX_LENGTH = 128
DEFAULT_MIN_LENGTH = 8
#: Defaults for the HMIS and vendor names (the manual's HMIS is WellSky's Community Services,
#: formerly ServicePoint); the live values are database settings.
DEFAULT_HMIS_NAMES = ("Community Services", "CommunityServices", "ServicePoint", "MoHMIS")
DEFAULT_VENDOR_NAMES = ("WellSky", "Mediware", "Bowman")
#: Fragments shorter than this are not checked as "contained" names (an "a" would forbid everything).
_MIN_FRAGMENT = 3
#: Dictionary words shorter than this are not counted: "ab1!" is refused for its length anyway.
_MIN_WORD = 3


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2"], lower=True, alpha=True))


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def normalize(password: str) -> str:
    """Return the NFKC form of a password (hash and check this form)."""
    return unicodedata.normalize("NFKC", password)


#: A run of letters (any script): the "words" a password is made of.
_LETTER_RUNS = re.compile(r"[^\W\d_]+")


def _skeleton(text: str) -> str:
    """Return what a password spells, for the word checks (never for hashing).

    NFKC, then invisible format characters (Unicode Cf: zero-width space, soft hyphen
    ...) and combining marks (an added acute accent) are dropped, and case folded:
    "Sum\u00admer" and "Summe\u0301r" spell "summer".
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.category(ch).startswith("M"))
    return unicodedata.normalize("NFC", text).casefold()


def _squash(text: str) -> str:
    """Lower-case and drop everything but letters and digits ("Well Sky" -> "wellsky")."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _forbidden_fragments(username: str, extra_words: Iterable[str]) -> list[tuple[str, str]]:
    """Return (what, fragment) pairs a password must not contain."""
    pairs: list[tuple[str, str]] = []
    name = username or ""
    candidates = [name]
    if "@" in name:
        candidates.append(name.split("@", 1)[0])
    for cand in candidates:
        frag = _squash(_skeleton(cand))
        if len(frag) >= _MIN_FRAGMENT:
            pairs.append(("your username", frag))
    for word in extra_words:
        frag = _squash(_skeleton(word))
        if len(frag) >= _MIN_FRAGMENT:
            pairs.append((f"“{word.strip()}”", frag))
    return pairs


def check_password(
    password: str,
    *,
    username: str,
    extra_words: Iterable[str] = (),
    min_length: int = DEFAULT_MIN_LENGTH,
    hmis_names: Iterable[str] = DEFAULT_HMIS_NAMES,
    vendor_names: Iterable[str] = DEFAULT_VENDOR_NAMES,
) -> list[str]:
    """Return every rule the password breaks, as sentences; an empty list means acceptable.

    ``extra_words`` are further words the password must not contain (a person's
    own name, say).  ``hmis_names`` and ``vendor_names`` come from settings.
    """
    problems: list[str] = []
    pw = normalize(password or "")
    length = len(pw)
    # Invisible characters do not count toward the minimum (they add nothing to guess).
    visible = sum(1 for ch in pw if unicodedata.category(ch) != "Cf")
    if visible < min_length:
        problems.append(f"Use at least {min_length} characters (this one has {visible}).")
    if length > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters (this one has {length}); a password is never shortened.")
    if not any(ch.isalpha() for ch in pw):
        problems.append("Include at least one letter.")
    if not any(ch.isdigit() for ch in pw):
        problems.append("Include at least one number.")

    skeleton = _skeleton(pw)
    squashed = _squash(skeleton)
    backwards = squashed[::-1]
    named: list[str] = []
    for kind, words in (("the HMIS name", hmis_names), ("the HMIS vendor's name", vendor_names)):
        for word in words:
            frag = _squash(_skeleton(word))
            if len(frag) >= _MIN_FRAGMENT and (frag in squashed or frag in backwards):
                named.append(kind)
                break
    for what, frag in _forbidden_fragments(username, extra_words):
        if frag in squashed or frag in backwards:
            named.append(what)
    for what in dict.fromkeys(named):
        problems.append(f"Do not include {what}, forwards or backwards.")

    # The words inside: runs of letters, split on digits, separators and symbols.
    segments = _LETTER_RUNS.findall(skeleton)
    joined = "".join(segments)
    long_segments = [seg for seg in segments if len(seg) >= _MIN_WORD]
    words = _dictionary()
    candidates = [joined] + (long_segments if len(long_segments) == 1 else [])
    if any(len(c) >= _MIN_WORD and (c in words or c[::-1] in words) for c in candidates):
        problems.append(
            "Do not make it a dictionary word (forwards or backwards) with only numbers or symbols around it "
            "or inside it."
        )
    common = _common_passwords()
    if (skeleton in common or squashed in common
            or any(len(c) > _MIN_WORD and (c in common or c[::-1] in common) for c in candidates)):
        problems.append("This is one of the most common passwords; choose one that is not.")
    return problems


class PasswordHashing:
    """Hash and verify passwords with Argon2id at the configured cost."""

    def __init__(self, *, memory_cost: int, time_cost: int, parallelism: int) -> None:
        self.hasher = PasswordHasher(memory_cost=memory_cost, time_cost=time_cost, parallelism=parallelism)
        # Verifying against this when an e-mail is unknown makes both answers take as long.
        self._dummy = self.hasher.hash("not a real password 0")

    def hash(self, password: str) -> str:
        return self.hasher.hash(normalize(password))

    def verify(self, hashed: str | None, password: str) -> bool:
        """Return True when the password matches; an absent hash still costs one verification."""
        if len(password) > 4 * MAX_LENGTH:
            # Refuse absurd input before it costs anything; no real password is this long.
            return False
        try:
            return self.hasher.verify(hashed or self._dummy, normalize(password)) and hashed is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, hashed: str) -> bool:
        return self.hasher.check_needs_rehash(hashed)
