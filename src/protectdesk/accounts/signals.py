"""Account events other apps react to (accounts itself depends on no other app)."""

from django.dispatch import Signal

#: Sent with ``user`` when an account gets a new keypair (a re-invitation after a lost
#: password): everything sealed to the old public key is now useless.
keypair_replaced = Signal()

#: Sent with ``user`` when a pre-keyed account (a defender's) is voided before anyone ever
#: accepted its invitation (revoked or expired): its boxes and memberships must go.
account_voided = Signal()

#: Sent with ``user``, ``old`` and ``new`` (role codes) after an account's role changed: a
#: module whose compartment is for some roles only dismisses the account from it.
role_changed = Signal()

#: Sent with ``user`` and ``actor`` when an account is deactivated (inside the transaction): a
#: module whose compartment an account leaves with its activity dismisses it.
account_deactivated = Signal()

#: Sent with ``user`` and ``reason`` when the account's owner changes their password or signs
#: out everywhere (the remedies for a leaked password or a lost device): whatever works
#: without the password (an API token) must stop working too.
credentials_reset = Signal()
