"""Pre/post scoring: what changed for each participant, and for the workshop.

Exact arithmetic (:class:`fractions.Fraction`), rounded only where it is shown, so the tests
hold the numbers a person works out by hand. Only questions a participant answered **both**
before and after count for them; a participant with no such question is left out of the
workshop's figures and counted as ``incomplete``.

* A participant's change is the mean of their after-scores minus the mean of their
  before-scores, over those questions, plus each question's own difference.
* The workshop's figure per question is the mean before and the mean after over the
  participants who answered it both times (``n`` says how many); its overall change is the
  mean of the participants' changes; ``improved``, ``same`` and ``worse`` count participants.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from protectdesk.training.questionnaires import Questionnaire

Answers = Mapping[str, int]


@dataclass(frozen=True)
class Change:
    questions: tuple[str, ...]  # answered both times, in the questionnaire's order
    before: Fraction
    after: Fraction
    per_question: Mapping[str, int]

    @property
    def delta(self) -> Fraction:
        return self.after - self.before


def participant_change(
    questionnaire: Questionnaire, before: Answers, after: Answers
) -> Change | None:
    """One participant's change, or None when no question was answered both times."""
    questionnaire.check_answers(before)
    questionnaire.check_answers(after)
    both = tuple(code for code in questionnaire.codes if code in before and code in after)
    if not both:
        return None
    return Change(
        both,
        Fraction(sum(before[c] for c in both), len(both)),
        Fraction(sum(after[c] for c in both), len(both)),
        {c: after[c] - before[c] for c in both},
    )


@dataclass(frozen=True)
class QuestionResult:
    code: str
    n: int
    before: Fraction | None
    after: Fraction | None

    @property
    def delta(self) -> Fraction | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class WorkshopResult:
    participants: int  # with at least one question answered both times
    incomplete: int
    questions: tuple[QuestionResult, ...]
    mean_change: Fraction | None
    improved: int
    same: int
    worse: int


def workshop_result(
    questionnaire: Questionnaire, pairs: Sequence[tuple[Answers, Answers]]
) -> WorkshopResult:
    """The workshop's figures from each participant's (before, after) answers."""
    changes = [participant_change(questionnaire, before, after) for before, after in pairs]
    complete = [c for c in changes if c is not None]
    rows = []
    for code in questionnaire.codes:
        answered = [
            (before[code], after[code])
            for before, after in pairs
            if code in before and code in after
        ]
        rows.append(
            QuestionResult(
                code,
                len(answered),
                Fraction(sum(b for b, _a in answered), len(answered)) if answered else None,
                Fraction(sum(a for _b, a in answered), len(answered)) if answered else None,
            )
        )
    return WorkshopResult(
        participants=len(complete),
        incomplete=len(changes) - len(complete),
        questions=tuple(rows),
        mean_change=(
            sum((c.delta for c in complete), Fraction(0)) / len(complete) if complete else None
        ),
        improved=sum(1 for c in complete if c.delta > 0),
        same=sum(1 for c in complete if c.delta == 0),
        worse=sum(1 for c in complete if c.delta < 0),
    )
