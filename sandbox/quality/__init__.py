"""Data-quality findings in the style of HUD's APR/CAPER question 6, for a client or a whole workspace.

Each :class:`Finding` says which element, what kind (``missing``, ``dk_pnta`` for
"doesn't know / prefers not to answer", ``issue`` for inconsistent data, ``late``
for entries made long after the event) and a sentence a trainee can act on.
Practice cases use these as automatic feedback.

Two ways to the same answers: :func:`findings` (in :mod:`.checks`) loads the records
and says what is wrong with each (a client's page, a page of clients, practice-case
feedback); :func:`workspace_summary` and :func:`clients_with_findings` (in :mod:`.counts`)
count the same findings in SQL (:mod:`.sql`, one aggregate query each), so the home and
data-quality pages cost the same at 10 or 10,000 clients.
``tests/unit/sandbox/test_quality.py`` checks that both ways agree, rule by rule.
"""

from __future__ import annotations

from sandbox.quality.checks import findings
from sandbox.quality.counts import clients_with_findings, workspace_summary

__all__ = ["CLIENTS_PER_PAGE", "clients_with_findings", "findings", "workspace_summary"]

#: Clients per page of the data-quality page.
CLIENTS_PER_PAGE = 50
