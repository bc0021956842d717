"""Signals through which other packages tell the credentials package facts it does not record itself.

Each signal is sent with the ``db_session`` as sender and ``users`` (a list of
User rows) and ``now`` as keyword arguments.  A receiver returns a mapping
``{user_id: lms.credentials.rules.Answer}`` for the people it knows about (it
may leave people out, or return None).  When no receiver answers for a person,
the fact is *unknown*, and unknown never counts as met.

How a package plugs in, from its own ``init_app`` (one query for the whole list)::

    from lms.credentials import signals as credential_signals
    credential_signals.access_request_facts.connect(my_receiver, weak=False)

- ``access_request_facts``: the access-request package answers, for every person
  it knows, ``Answer(value=<an approved request exists>, project_types=<HUD types
  of the approved request's projects>, detail=<e.g. "the latest request was denied">)``.
  A person it has no request for gets ``Answer(False)``.
- ``suspension_facts``: the sanctions package answers ``Answer(value=<suspended
  now>, detail=<e.g. "until the agency reports the remedy">)`` for every person.
- ``refusal_facts``: the package that records the HMIS Lead's decision after
  failed practice cases answers ``Answer(value=<access refused>)``.

Several receivers may answer for one person: an approved request, a suspension
or a refusal reported by any of them counts.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

access_request_facts = _signals.signal("credentials-access-request-facts")
suspension_facts = _signals.signal("credentials-suspension-facts")
refusal_facts = _signals.signal("credentials-refusal-facts")
#: Sent after live credentials are issued. sender: db_session; kwargs: ``credential``, ``now``.
credential_issued = _signals.signal("credentials-issued")
#: Sent after live credentials are revoked. sender: db_session; kwargs: ``credential``, ``now``.
credential_revoked = _signals.signal("credentials-revoked")
