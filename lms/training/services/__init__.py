"""Training's services, in three modules that build on one another.

- :mod:`lms.training.services.ledger`: the evidence ledger and training plans (the bottom).
- :mod:`lms.training.services.upra`: publish the agreement from its files, and sign it (records evidence).
- :mod:`lms.training.services.checklist`: who may read whose training, and the onboarding checklist.

The names other modules use are re-exported here, so ``from lms.training import services`` keeps working.
"""

from lms.training.services.checklist import checklist, checklists, may_view_training_of, training_records_query
from lms.training.services.ledger import (add_practice_cases, all_evidence, current_plan, evidence_for,
                                          plan_demo_trainees, record_evidence, start_plan)
from lms.training.services.upra import (DATA_DIR, UPRA_SOURCE, UpraRefused, counting_signature, current_upra,
                                        load_content, load_upra, sign_upra, signatures_of)

__all__ = [
    "DATA_DIR", "UPRA_SOURCE", "UpraRefused", "add_practice_cases", "all_evidence", "checklist", "checklists",
    "counting_signature", "current_plan", "current_upra", "evidence_for", "load_content", "load_upra",
    "may_view_training_of", "plan_demo_trainees", "record_evidence", "sign_upra", "signatures_of", "start_plan",
    "training_records_query",
]
