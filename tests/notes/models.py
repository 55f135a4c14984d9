from django.db import models

from protectdesk.records.fields import EncryptedText, statistical
from protectdesk.records.models import STAFF, CaseRecord


class Note(CaseRecord):
    """A staff note on a case: a statistical topic code and encrypted, searchable text."""

    topic = statistical(models.CharField(max_length=16, default="general"))
    text = EncryptedText("text", key=STAFF, searchable=True)

    def __str__(self) -> str:
        return f"note {self.id}"
