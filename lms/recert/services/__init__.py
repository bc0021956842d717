"""Recertification's state changes, in two modules.

- :mod:`lms.recert.services.cycles`: the fiscal-year cycles, who is in scope and where they stand, reminders,
  a person's history and the cycle status page.
- :mod:`lms.recert.services.suspensions`: suspending the overdue, lifting on completion, and the answers
  other packages ask for (sign-in, credential facts).

The names other modules use are re-exported here, so ``from lms.recert import services`` keeps working.
"""

from lms.recert.services.cycles import (current_fiscal_year, cycle_statuses, cycles, get_cycle, history, local_today,
                                        open_current_if_due, open_cycle, send_reminders, zone_name)
from lms.recert.services.suspensions import (credential_facts, enforce, lift_at_sign_in, lift_completed,
                                             live_in_history, live_suspensions, notice_for)

__all__ = [
    "credential_facts", "current_fiscal_year", "cycle_statuses", "cycles", "enforce", "get_cycle", "history",
    "lift_at_sign_in", "lift_completed", "live_in_history", "live_suspensions", "local_today", "notice_for",
    "open_current_if_due",
    "open_cycle", "send_reminders", "zone_name",
]
