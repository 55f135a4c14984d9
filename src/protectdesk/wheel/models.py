"""The security wheel (methodology.md §7): a group's self-assessment of how it manages its
security, held in sessions and repeated over time.

A :class:`WheelSession` runs one wheel of ``vocabularies/wheels.yaml`` (its code is stored) on a
date; each :class:`Participant` scores the spokes 0–100 (:class:`SpokeScore`), with the barriers
they see and the solutions they propose. Everything written is under the case's **shared** key:
the organisation's own members read their wheel with the defender's account. In clear, for
comparisons and statistics: the wheel and spoke codes, dates and the scores.

A participant is entered from a form that carries a random ``submission`` id made when the form
was shown: the same form sent twice finds that id already saved (one constraint per session), so
a double click or a resent page never makes a second participant.

:class:`SpokeMeasure` remembers which weak spoke of a session has become a measure of the
protection plan, so the button that makes it cannot make it twice.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import User
from protectdesk.plans.models import Measure
from protectdesk.records.fields import EncryptedText, statistical
from protectdesk.records.models import SHARED, Case, CaseRecord


class WheelSession(CaseRecord):
    wheel = statistical(models.CharField(_("wheel"), max_length=40))
    held_on = statistical(models.DateField(_("date of the session"), default=timezone.localdate))
    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    title = EncryptedText(_("title of the session"), key=SHARED, searchable=True)
    notes = EncryptedText(_("notes on the session"), key=SHARED, searchable=True)

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return f"wheel session {self.id}"


class Participant(CaseRecord):
    session = statistical(
        models.ForeignKey(WheelSession, on_delete=models.CASCADE, related_name="participants")
    )
    #: Made when the form was shown; the same form sent twice is recognised by it.
    submission = statistical(models.UUIDField())
    label = EncryptedText(_("participant"), key=SHARED, searchable=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "submission"], name="one_participant_per_submission"
            )
        ]

    def __str__(self) -> str:
        return f"wheel participant {self.id}"


class SpokeScore(CaseRecord):
    participant = statistical(
        models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="scores")
    )
    spoke = statistical(models.CharField(_("spoke"), max_length=40))
    score = statistical(models.PositiveSmallIntegerField(_("score")))
    barriers = EncryptedText(_("barriers"), key=SHARED, searchable=True)
    solutions = EncryptedText(_("solutions"), key=SHARED, searchable=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "spoke"], name="one_score_per_spoke"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="score_from_0_to_100"
            ),
        ]

    def __str__(self) -> str:
        return f"wheel score {self.id}"


class SpokeMeasure(models.Model):
    """A weak spoke of a session made a measure of the plan (ids and a code only, in clear)."""

    case = statistical(models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+"))
    session = statistical(
        models.ForeignKey(WheelSession, on_delete=models.CASCADE, related_name="measures")
    )
    spoke = statistical(models.CharField(max_length=40))
    measure = statistical(models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+"))
    created_at = statistical(models.DateTimeField(default=timezone.now))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "spoke"], name="one_measure_per_spoke")
        ]

    def __str__(self) -> str:
        return f"wheel measure link {self.pk}"
