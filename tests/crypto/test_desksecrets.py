"""The sealed desk-secret format: versioned, bound to desk, name and version, parsed strictly."""

import uuid

import pytest

from protectdesk.crypto import EnvelopeError, desksecrets, userkeys


def _seal(name="intake", version=1):
    keypair = userkeys.generate_keypair()
    desk = uuid.uuid4()
    secret = desksecrets.new_desk_secret()
    box = desksecrets.seal_desk_secret(keypair.public_key, desk, name, version, secret)
    return keypair, desk, secret, box


def test_round_trip():
    keypair, desk, secret, box = _seal()
    assert desksecrets.open_desk_secret(keypair.private_key, box, desk, "intake", 1) == secret


@pytest.mark.parametrize(
    ("desk_changed", "name", "version"),
    [(True, "intake", 1), (False, "other", 1), (False, "intake", 2)],
)
def test_a_box_opens_only_where_it_was_sealed(desk_changed, name, version):
    keypair, desk, _secret, box = _seal()
    where = uuid.uuid4() if desk_changed else desk
    with pytest.raises(EnvelopeError):
        desksecrets.open_desk_secret(keypair.private_key, box, where, name, version)


def test_unknown_format_version_and_truncation_are_refused():
    keypair = userkeys.generate_keypair()
    desk = uuid.uuid4()
    good = desksecrets._payload(desk, "intake", 1, bytes(32))
    for payload in (b"D\x02" + good[2:], good[:-1], good[:5], b"K" + good[1:]):
        box = userkeys.seal_to(keypair.public_key, payload)
        with pytest.raises(EnvelopeError):
            desksecrets.open_desk_secret(keypair.private_key, box, desk, "intake", 1)
