"""The observatory of national protection policies (methodology.md §8).

Per country, the instruments a State adopted to protect defenders — laws, decrees, public
policies, protection mechanisms, court decisions — each assessed, as often as the desk
reviews it, against the criteria of ``vocabularies/policy_criteria.yaml``: a score from 0
(absent) to 4 (fully met) and the reasoning behind it. Assessments are kept, not overwritten,
so the history shows whether a policy improves.

**Public information, in clear.** What a State has enacted, and a desk's published judgement
of it, identify no defender: the observatory holds no case data, (a rationale must never name a
defender: the form says so). Each desk keeps its own observatory.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Desk, User
from protectdesk.records.fields import EncryptedJSON, EncryptedText, statistical
from protectdesk.records.models import STAFF, CaseRecord

#: Scores run from 0 (absent) to 4 (fully met).
LOWEST, HIGHEST = 0, 4


class InstrumentKind(models.TextChoices):
    LAW = "law", _("Law")
    DECREE = "decree", _("Decree")
    POLICY = "policy", _("Public policy")
    MECHANISM = "mechanism", _("Protection mechanism")
    COURT = "court_decision", _("Court decision")


class InstrumentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    IN_FORCE = "in_force", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    REPEALED = "repealed", _("Repealed")


class Instrument(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    country = models.CharField(_("country"), max_length=2)
    kind = models.CharField(_("kind"), max_length=16, choices=InstrumentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InstrumentStatus.choices,
        default=InstrumentStatus.IN_FORCE,
    )
    summary = models.TextField(_("summary"), blank=True)
    #: Where the text can be read (the official gazette, the court's site).
    document = models.URLField(_("document"), blank=True, max_length=500)
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["country", "-adopted_on", "title"]

    def __str__(self) -> str:
        return f"instrument {self.id}"


class Assessment(models.Model):
    """One review of an instrument against every criterion (kept; a new review adds one)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    assessed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-created_at"]

    def __str__(self) -> str:
        return f"assessment {self.id}"


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(max_length=40)
    score = models.PositiveSmallIntegerField()
    rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(score__lte=HIGHEST), name="score_on_the_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"score {self.pk}"


class PublishedCountry(models.Model):
    """A country whose observatory page the desk has chosen to publish (no sign-in needed).

    Only the observatory's public information is shown there: the instruments and the
    desk's latest assessment of each."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    country = models.CharField(_("country"), max_length=2)
    published_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["desk", "country"], name="publish_a_country_once")
        ]

    def __str__(self) -> str:
        return f"published country {self.country}"


# --- international communications (records of a defender's case) ---------------------------


class Mechanism(models.TextChoices):
    UN_SR_HRD = "un_sr_hrd", _("UN Special Rapporteur on human rights defenders")
    IACHR = "iachr", _("Inter-American Commission on Human Rights")
    ACHPR = "achpr", _("African Commission on Human and Peoples' Rights")
    OTHER = "other", _("Another mechanism")


class CommunicationKind(models.TextChoices):
    URGENT_APPEAL = "urgent_appeal", _("Urgent appeal (harm under way or imminent)")
    ALLEGATION = "allegation_letter", _("Allegation letter (harm that has happened)")
    PRECAUTIONARY = "precautionary_measures", _("Request for precautionary measures")
    OTHER = "other", _("Other communication")


#: What each mechanism receives.
KINDS_OF = {
    Mechanism.UN_SR_HRD: (CommunicationKind.URGENT_APPEAL, CommunicationKind.ALLEGATION),
    Mechanism.IACHR: (CommunicationKind.PRECAUTIONARY, CommunicationKind.OTHER),
    Mechanism.ACHPR: (
        CommunicationKind.URGENT_APPEAL,
        CommunicationKind.ALLEGATION,
        CommunicationKind.OTHER,
    ),
    Mechanism.OTHER: tuple(CommunicationKind),
}

#: The languages a dossier is exported in (the mechanisms' working languages we ship).
DOSSIER_LANGUAGES = ("en", "es", "fr")


class CommunicationStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SUBMITTED = "submitted", _("Submitted")
    ANSWERED = "answered", _("The State answered")
    CLOSED = "closed", _("Closed")


class Publicity(models.TextChoices):
    CONFIDENTIAL = "confidential", _("The name must stay confidential")
    PUBLIC = "public", _("The name may be made public")


class Communication(CaseRecord):
    """A communication to an international mechanism about the defender of the case.

    In clear, for the dashboard's reminders and statistics: the mechanism, the kind, the
    language, the status, the next deadline, and when the defender consented (or withdrew), as
    the case's own consent record keeps it. Encrypted under the case's **staff** key:
    everything written, which facts of the case the dossier takes (``facts``), the mechanism's
    reference, the State's answer, and the days it was **submitted** and **answered** — the
    State knows those days, and in clear they would tie this case's reference (and every clear
    fact of the case) to the defender it named.
    """

    mechanism = statistical(
        models.CharField(_("mechanism"), max_length=16, choices=Mechanism.choices)
    )
    kind = statistical(
        models.CharField(
            _("kind of communication"), max_length=24, choices=CommunicationKind.choices
        )
    )
    language = statistical(models.CharField(_("language of the dossier"), max_length=2))
    status = statistical(
        models.CharField(
            _("status"),
            max_length=12,
            choices=CommunicationStatus.choices,
            default=CommunicationStatus.DRAFT,
        )
    )
    publicity = statistical(
        models.CharField(
            _("may the name be published"),
            max_length=12,
            choices=Publicity.choices,
            default=Publicity.CONFIDENTIAL,
        )
    )
    consent_on = statistical(models.DateField(_("consent to submit given on"), null=True))
    consent_withdrawn_on = statistical(models.DateField(_("consent withdrawn on"), null=True))
    due_on = statistical(models.DateField(_("next deadline"), null=True))
    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    title = EncryptedText(_("title"), key=STAFF)
    hrd_status = EncryptedText(_("why they are a human rights defender"), key=STAFF)
    action_taken = EncryptedText(_("action already taken"), key=STAFF)
    requests = EncryptedText(_("what is asked of the mechanism"), key=STAFF)
    source = EncryptedText(_("source of the communication"), key=STAFF)
    confidentiality = EncryptedText(_("confidentiality wishes"), key=STAFF)
    consent_notes = EncryptedText(_("how consent was given"), key=STAFF)
    withdrawal_notes = EncryptedText(_("how consent was withdrawn"), key=STAFF)
    #: ISO days ("2026-11-05"), or empty (see the class).
    submitted_on = EncryptedText(_("submitted on"), key=STAFF, pad_to=16)
    answered_on = EncryptedText(_("the State answered on"), key=STAFF, pad_to=16)
    reference = EncryptedText(_("the mechanism's reference"), key=STAFF, pad_to=64)
    state_response = EncryptedText(_("the State's answer"), key=STAFF)
    #: What the dossier takes from the case (``advocacy.dossier.Facts``).
    facts = EncryptedJSON(_("facts chosen for the dossier"), key=STAFF)
    #: [{"on": "YYYY-MM-DD", "text": "..."}], oldest first.
    follow_ups = EncryptedJSON(_("follow-ups"), key=STAFF)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"communication {self.id}"

    @property
    def has_consent(self) -> bool:
        return self.consent_on is not None and self.consent_withdrawn_on is None


# --- video advocacy (records of a defender's case) ------------------------------------------


class VideoKind(models.TextChoices):
    CLIP = "clip", _("Clip")
    DOCUMENTARY = "documentary", _("Documentary")


class VideoStatus(models.TextChoices):
    DRAFT = "draft", _("In production")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Taken down")


class Channel(models.TextChoices):
    WEBSITE = "website", _("The desk's website")
    SOCIAL = "social", _("Social media")
    BROADCAST = "broadcast", _("Television or broadcast")
    SCREENING = "screening", _("Private screening")
    ADVOCACY = "advocacy", _("Shown to authorities or mechanisms only")


class Video(CaseRecord):
    """A clip or documentary about the case. Its media files are the record's attachments
    (encrypted like every attachment, staff-only). In clear: kind, status, channel and the
    flag raised when a filmed person's consent fails after publication; the day it was
    published is encrypted."""

    kind = statistical(
        models.CharField(_("kind"), max_length=12, choices=VideoKind.choices, default="clip")
    )
    status = statistical(
        models.CharField(
            _("publication status"),
            max_length=12,
            choices=VideoStatus.choices,
            default=VideoStatus.DRAFT,
        )
    )
    channel = statistical(
        models.CharField(_("channel"), max_length=12, blank=True, choices=Channel.choices)
    )
    #: When a person's consent was withdrawn while the video was published: take it down.
    flagged_on = statistical(models.DateField(_("consent withdrawn while published"), null=True))
    created_by = statistical(
        models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    )
    title = EncryptedText(_("title"), key=STAFF)
    description = EncryptedText(_("what it shows and for whom"), key=STAFF)
    anonymity = EncryptedText(_("anonymity requirements"), key=STAFF)
    where = EncryptedText(_("where it is published (address)"), key=STAFF)
    #: An ISO day: the day it went public, encrypted (it would date the case to anyone).
    published_on = EncryptedText(_("published on"), key=STAFF, pad_to=16)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"video {self.id}"


class FilmConsent(models.TextChoices):
    MISSING = "", _("Not asked yet")
    IDENTIFIED = "identified", _("May be identified")
    BLURRED = "blurred", _("Face blurred")
    VOICE = "voice_altered", _("Voice altered")
    BLURRED_VOICE = "blurred_voice", _("Face blurred and voice altered")
    REFUSED = "refused", _("Refused to appear")


class FilmedPerson(CaseRecord):
    """Someone who appears in a video, and what they agreed to (every change audited)."""

    video = statistical(models.ForeignKey(Video, on_delete=models.CASCADE, related_name="people"))
    consent = statistical(
        models.CharField(
            _("consent"), max_length=16, choices=FilmConsent.choices, blank=True, default=""
        )
    )
    consent_on = statistical(models.DateField(_("consent recorded on"), null=True))
    withdrawn_on = statistical(models.DateField(_("consent withdrawn on"), null=True))
    #: False once they are cut out of the final edit (needed for someone who refused).
    in_final_cut = statistical(models.BooleanField(_("appears in the final edit"), default=True))
    name = EncryptedText(_("name or description"), key=STAFF, pad_to=128)
    notes = EncryptedText(_("how consent was given, conditions"), key=STAFF)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"filmed person {self.id}"
