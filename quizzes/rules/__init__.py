"""Pure quiz rules, in two parts that change for different reasons.

- :mod:`quizzes.rules.questions`: the question bank file, drawing and shuffling, answers and scores,
  time limits and retakes.
- :mod:`quizzes.rules.media`: the course content made in the browser (video, captions, transcript, links).

The names the rest of the package uses are re-exported here, so ``from quizzes import rules`` and
``rules.parse_bank(...)`` keep working.
"""

from quizzes.rules.media import (MAX_CAPTIONS_BYTES, MAX_TRANSCRIPT_BYTES, MediaInvalid, Resource, check_captions,
                                 check_transcript, mp4_duration, parse_resources)
from quizzes.rules.questions import (COURSES, DEFAULT_COOLDOWN_MINUTES, DEFAULT_PASS_MARK,
                                     DEFAULT_QUESTIONS_PER_ATTEMPT, DEFAULT_TIME_LIMIT_MINUTES, GRACE, KINDS, MULTIPLE,
                                     AttemptFacts, BankSpec, DrawnQuestion, bank_file_text, choice_order, draw,
                                     expires_at, is_correct, is_expired, next_start, parse_bank, read_answers, score)

__all__ = [
    "COURSES", "DEFAULT_COOLDOWN_MINUTES", "DEFAULT_PASS_MARK", "DEFAULT_QUESTIONS_PER_ATTEMPT",
    "DEFAULT_TIME_LIMIT_MINUTES", "GRACE", "KINDS", "MAX_CAPTIONS_BYTES", "MAX_TRANSCRIPT_BYTES", "MULTIPLE",
    "AttemptFacts", "BankSpec", "DrawnQuestion", "MediaInvalid", "Resource", "bank_file_text", "check_captions",
    "check_transcript", "choice_order", "draw", "expires_at", "is_correct", "is_expired", "mp4_duration",
    "next_start", "parse_bank", "parse_resources", "read_answers", "score",
]
