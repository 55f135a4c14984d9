"""One row per (record, field, word): the word only as a keyed token of its case.

Stored in clear, by design (security.md Keys 5): the case, the token, the version of the case
key it was made with, and which record and field it came from. A token means nothing without
the case's staff key; it reveals only which records of one case share a word.
"""

from __future__ import annotations

from django.db import models

from protectdesk.cases.models import Case


class SearchToken(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    token = models.BinaryField(max_length=12)
    key_version = models.PositiveIntegerField()
    record_type = models.CharField(max_length=40)
    record_id = models.UUIDField()
    field = models.CharField(max_length=40)

    class Meta:
        indexes = [
            models.Index(fields=["token"], name="search_token"),
            models.Index(fields=["record_type", "record_id"], name="search_record"),
            models.Index(fields=["case", "key_version"], name="search_case_version"),
        ]

    def __str__(self) -> str:
        return f"search token {self.pk}"
