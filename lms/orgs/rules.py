"""Pure rules of the organisation records."""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """Return the form two names are compared in: NFKC-normalised, case-folded, spaces collapsed.

    "ＡＢＣ１２３" (full-width) and "abc123" are the same agency to a person reading a list, so they
    are the same name here.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name or "").casefold())
    return " ".join(folded.split())
