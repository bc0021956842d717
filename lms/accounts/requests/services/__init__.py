"""User access requests: what each role may read, and the state changes.

- :mod:`lms.accounts.requests.services.queries`: the queue, counts and a request's page, per role.
- :mod:`lms.accounts.requests.services.decisions`: submit, withdraw, deny, approve, invitations, and the
  facts the credentials package asks for.

The names other modules use are re-exported here, so ``from lms.accounts.requests import services`` keeps working.
"""

from lms.accounts.requests.services.decisions import (InvitationClosed, accept_invitation, approve, credential_facts,
                                                      deny, open_invitation, submit, withdraw)
from lms.accounts.requests.services.queries import (active_projects, agency_requests, apa_refusals, get_visible,
                                                    oldest_waiting, queue, queue_count, recent_for_rep, rep_agencies,
                                                    status_counts, viewer_of)

__all__ = [
    "InvitationClosed", "accept_invitation", "active_projects", "agency_requests", "apa_refusals", "approve",
    "credential_facts", "deny", "get_visible", "oldest_waiting", "open_invitation", "queue", "queue_count",
    "recent_for_rep", "rep_agencies", "status_counts", "submit", "viewer_of", "withdraw",
]
