"""The quizzes' services.

- :mod:`quizzes.services.attempts`: load question banks, start and submit attempts, report a pass as evidence.
- :mod:`quizzes.services.reports`: what administrators read (per-question results, attempts per person).
- :mod:`quizzes.services.snapshots`: the process's copy of each (immutable) bank version, for the test pages.

The names other modules use are re-exported here, so ``from quizzes import services`` keeps working.
"""

from quizzes.services.attempts import (COURSE_TITLES, DATA_DIR, EVIDENCE_SOURCE, AnswersRefused, AttemptExpired,
                                       BankInvalid, attempts_of, current_bank, load_attempt, load_bank, load_content,
                                       next_start, open_attempt, pass_mark, question_of, shown_choices,
                                       shown_questions, start_attempt, store_bank,
                                       submit_attempt)
from quizzes.services.reports import (STAT_ORDERS, WrongAnswer, attempts_by_person_query, banks_of, person_attempts,
                                      question_stats, sort_stats)

__all__ = [
    "COURSE_TITLES", "DATA_DIR", "EVIDENCE_SOURCE", "STAT_ORDERS", "AnswersRefused", "AttemptExpired", "BankInvalid",
    "WrongAnswer", "attempts_by_person_query", "attempts_of", "banks_of", "current_bank", "load_attempt", "load_bank",
    "load_content", "next_start", "open_attempt", "pass_mark", "person_attempts", "question_of", "question_stats",
    "shown_choices", "shown_questions",
    "sort_stats", "start_attempt", "store_bank", "submit_attempt",
]
