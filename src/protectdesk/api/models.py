"""Personal access tokens of the JSON API (the format and its crypto: ``crypto/tokens.py``).

What is stored in clear, and why it is not identifying or usable:

* who owns the token, its scope, when it was made and when it expires;
* ``digest``: a keyed hash of the token, which gives nothing back;
* :class:`TokenKey`: for a token that reads case content, the owner's private key wrapped
  under a key derived from the token's secret (never stored): ciphertext to anyone without the
  token. A row of its own, written once and never updated: the token's row changes with every
  call (its rate window), and on PostgreSQL every update leaves an old row version behind until
  vacuum; none of those may carry a copy of the key;
* ``label``: sealed to the owner's public key (a label such as "Rosa's notebook" may name
  someone), so only the owner, signed in, reads it;
* the current rate-limit window (its minute and how many calls it saw): the audit log already
  keeps every call, so it says nothing the log does not.

Revoking deletes the row: the wrapped key goes with it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protectdesk.accounts.models import Desk, User


class Scope(models.TextChoices):
    STATISTICS = "statistics", _("Statistics only")
    READ = "read", _("Read my cases")
    WRITE = "write", _("Read my cases and write incidents to them")


#: Scopes whose token carries a wrapped copy of its owner's private key.
READS_CONTENT = frozenset({Scope.READ, Scope.WRITE})


class Token(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(_("what it may do"), max_length=16, choices=Scope.choices)
    label = models.BinaryField(_("label"), blank=True, default=b"")
    digest = models.BinaryField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    last_used_on = models.DateField(_("last used"), null=True, blank=True)
    window = models.DateTimeField(null=True, blank=True)
    calls = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"], name="api_token_expiry")]

    def __str__(self) -> str:
        return f"API token {self.pk}"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()


class TokenKey(models.Model):
    """The owner's private key, wrapped for one token (``crypto.tokens.wrap_private_key``)."""

    token = models.OneToOneField(
        Token, on_delete=models.CASCADE, primary_key=True, related_name="key"
    )
    wrapped_private_key = models.BinaryField()

    def __str__(self) -> str:
        return f"key of API token {self.pk}"
