"""Live credentials' state changes, in two modules.

- :mod:`lms.credentials.services.issuance`: eligibility facts, issuing and revoking, the issuance queue.
- :mod:`lms.credentials.services.projects`: projects added to an active person's access (their plan grows).

The names other modules use are re-exported here, so ``from lms.credentials import services`` keeps working.
"""

from lms.credentials.services.issuance import (TEMPORARY_PASSWORD_LENGTH, AlreadyIssued, NotEligible,
                                               UsernameRefused, count_to_issue, credentials_of, eligibility_of,
                                               gather_facts, issue, issued_credential, queue, queue_csv, revoke,
                                               revoke_on_access_revoked)
from lms.credentials.services.projects import (add_projects, add_projects_refusal, chosen_projects, person_for_projects,
                                               project_people, projects_for)

__all__ = [
    "TEMPORARY_PASSWORD_LENGTH", "AlreadyIssued", "NotEligible", "UsernameRefused", "add_projects",
    "add_projects_refusal", "chosen_projects", "count_to_issue", "credentials_of", "eligibility_of", "gather_facts",
    "issue", "issued_credential", "person_for_projects", "project_people", "projects_for", "queue", "queue_csv",
    "revoke", "revoke_on_access_revoked",
]
