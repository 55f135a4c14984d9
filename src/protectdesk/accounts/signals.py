"""Account events other apps react to (accounts itself depends on no other app)."""

from django.dispatch import Signal

#: Sent with ``user`` when an account gets a new keypair (a re-invitation after a lost
#: password): everything sealed to the old public key is now useless.
keypair_replaced = Signal()
