"""The per-request keyring: the case keys the signed-in user can open, unwrapped once.

Design (security.md, Keys 2-3 and "Who sees what without a key"):

* The keyring is built from the user's private key, which only the request's ``pd_key``
  cookie can unwrap from the session. Without it the keyring opens nothing.
* Access to a case needs **both** a membership row (what the desk decided) **and** a sealed
  box the user's private key opens (what the cryptography allows). A coordinator or
  administrator who is not a member has neither, so the server cannot decrypt the case for
  them even if a view forgot a check.
* Boxes are loaded for many cases at once by ``preload`` (two queries: membership and boxes)
  and *opened* lazily, when a key of that case is first used, then cached for the request.
* A box is accepted only if it names this case, purpose and version inside its sealed payload
  and was sealed to the user's *current* public key (fingerprint), so a box moved from another
  case or left over from a replaced keypair is ignored rather than trusted.
* Staff members hold the shared and the staff key; a defender's account holds the shared key
  only. Reading a staff-key field without the staff key raises :class:`StaffOnly`: a page that
  tried to show internal notes to a defender fails loudly instead of leaking.
* Sealing writes a field envelope with the case's current key version; opening reads the
  purpose and version from the envelope header and uses the matching key (old versions stay
  readable during a rotation).
* A background job gets a *detached* keyring (:meth:`Keyring.detached`): only the keys of one
  case that the user's keyring handed it, no private key; membership is checked again when it
  is built (:mod:`protectdesk.records.jobs`).
* Keys never leave their room: the dataclasses that hold keys print none (``repr=False``), so a
  logged traceback or a debug page shows ids, never key material.
* One damaged value must not take a page down: :class:`Opened` renders a value that fails to
  open as :data:`DAMAGED` in its place, records the damage once (``records.damage``), and the
  rest of the page works.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext

from protectdesk.accounts import session_keys
from protectdesk.accounts.models import User
from protectdesk.crypto import CryptoError, EnvelopeError, casekeys, envelope, userkeys
from protectdesk.crypto.casekeys import Purpose
from protectdesk.records import damage
from protectdesk.records.fields import EncryptedField
from protectdesk.records.models import Case, CaseKeyBox, CaseMember


class NoCaseAccess(Exception):
    """The user is not a member of this case, or holds no key that opens it."""


class StaffOnly(Exception):
    """A staff-key field was read with a keyring that has only the shared key."""

    silent_variable_failure = False


@dataclass
class CaseKeys:
    """The keys of one case this user holds, by (purpose, version), opened on first use.

    A search across many cases needs only their staff keys; opening a box costs a public-key
    operation, so each is opened when (and if) its key is asked for, then kept.
    """

    case_id: uuid.UUID
    current_version: int
    keys: dict[tuple[Purpose, int], bytes] = field(default_factory=dict, repr=False)
    sealed: dict[tuple[Purpose, int], bytes] = field(default_factory=dict, repr=False)
    private_key: bytes = field(default=b"", repr=False)
    verified: bool = False

    def has(self, purpose: Purpose) -> bool:
        return (purpose, self.current_version) in self.keys or (
            purpose,
            self.current_version,
        ) in self.sealed

    def held(self) -> set[tuple[Purpose, int]]:
        return set(self.keys) | set(self.sealed)

    def key(self, purpose: Purpose, version: int) -> bytes:
        key = self.keys.get((purpose, version))
        if key is not None:
            return key
        box = self.sealed.pop((purpose, version), None)
        if box is not None:
            # A box that names another case, purpose or version fails loudly here.
            key = casekeys.open_case_key(self.private_key, box, self.case_id, purpose, version)
            self.keys[(purpose, version)] = key
            return key
        if purpose == Purpose.STAFF and not any(p == Purpose.STAFF for p, _ in self.held()):
            raise StaffOnly("the staff key of this case is not available to this account")
        raise NoCaseAccess("this key version is not available to this account")

    def all_keys(self) -> dict[tuple[Purpose, int], bytes]:
        """Every key held, opened (to seal them to a new member)."""
        for purpose, version in list(self.sealed):
            self.key(purpose, version)
        return dict(self.keys)


class Keyring:
    """The case keys one user can open, for one request (or one command-line run)."""

    def __init__(self, user: User, private_key: bytes | None) -> None:
        self.user = user
        self._private_key = private_key
        self._fingerprint = userkeys.fingerprint(bytes(user.public_key)) if user.public_key else b""
        self._cases: dict[uuid.UUID, CaseKeys | None] = {}

    @classmethod
    def detached(
        cls,
        user: User,
        case_id: uuid.UUID,
        current_version: int,
        keys: dict[tuple[Purpose, int], bytes],
    ) -> Keyring:
        """A keyring for work done away from the user's request (a background job).

        It holds exactly ``keys`` of one case — keys that the user's own keyring opened when
        the job was started — and no private key, so it opens no box and no other case. The
        membership half of the access rule is checked again now: without a membership row the
        user no longer has access (:class:`NoCaseAccess`), and an account that is not a staff
        member keeps only the shared key.
        """
        member = CaseMember.compartments.filter(user=user, case_id=case_id).first()
        if member is None:
            raise NoCaseAccess("not a member of this case any more")
        allowed = set(member.purposes)
        entry = CaseKeys(
            case_id,
            current_version,
            keys={place: key for place, key in keys.items() if place[0] in allowed},
            verified=True,  # these keys were opened from the user's boxes by their own keyring
        )
        if not entry.has(Purpose.SHARED):
            raise NoCaseAccess("the job was not given the current key of this case")
        keyring = cls(user, None)
        keyring._cases[case_id] = entry
        return keyring

    def __repr__(self) -> str:
        return f"<Keyring of user {self.user.pk}, {len(self._cases)} cases>"

    @property
    def unlocked(self) -> bool:
        return self._private_key is not None

    def desk_secret(self, name: str) -> bytes:
        """The desk secret ``name`` (the intake key) as this user holds it; PermissionError
        if the account holds none or the keyring is locked. The private key stays inside."""
        from protectdesk.accounts import desk_keys

        if self._private_key is None:
            raise PermissionError("the keyring is locked")
        return desk_keys.open_secret(self.user, self._private_key, name)

    # --- loading ----------------------------------------------------------------------------

    def preload(self, case_ids: Iterable[uuid.UUID]) -> None:
        """Open the keys of many cases at once (two queries), e.g. before listing records."""
        wanted = {cid for cid in case_ids if cid not in self._cases}
        if not wanted:
            return
        for case_id in wanted:
            self._cases[case_id] = None
        if self._private_key is None:
            return
        members = set(
            CaseMember.compartments.filter(user=self.user, case_id__in=wanted).values_list(
                "case_id", flat=True
            )
        )
        boxes = CaseKeyBox.objects.filter(recipient=self.user, case_id__in=members).values_list(
            "case_id", "purpose", "version", "recipient_fingerprint", "sealed", "case__key_version"
        )
        for case_id, purpose, version, box_fingerprint, sealed, current_version in boxes:
            if bytes(box_fingerprint) != self._fingerprint:
                continue  # sealed to a keypair this account no longer has
            entry = self._cases.get(case_id)
            if entry is None:
                entry = CaseKeys(case_id, current_version, private_key=self._private_key)
                self._cases[case_id] = entry
            entry.sealed[(Purpose(purpose), version)] = bytes(sealed)
        for case_id in members:
            entry = self._cases.get(case_id)
            if entry is None or not entry.has(Purpose.SHARED):
                self._cases[case_id] = None  # membership without the current shared key: no access
        # Boxes are opened when a key is first used: a box that does not open then (moved or
        # forged) raises EnvelopeError at that moment, which the interface reports as tampering.

    def keys_for(self, case_id: uuid.UUID, *, verify: bool = True) -> CaseKeys:
        """The user's keys for ``case_id``, or :class:`NoCaseAccess`.

        ``verify`` opens the current shared key once, so a box that does not open (moved from
        another case, forged) means no access. Bulk search skips it: it opens each case's staff
        key itself, which fails just as loudly.
        """
        if case_id not in self._cases:
            self.preload([case_id])
        entry = self._cases.get(case_id)
        if entry is None:
            raise NoCaseAccess("not a member of this case, or no key")
        if verify and not entry.verified:
            try:
                entry.key(Purpose.SHARED, entry.current_version)
            except EnvelopeError:
                self._cases[case_id] = None
                raise NoCaseAccess("this case's key box does not open for this account") from None
            entry.verified = True
        return entry

    def can_open(self, case_id: uuid.UUID) -> bool:
        try:
            self.keys_for(case_id)
        except NoCaseAccess:
            return False
        return True

    def has_staff_key(self, case_id: uuid.UUID, *, verify: bool = True) -> bool:
        try:
            return self.keys_for(case_id, verify=verify).has(Purpose.STAFF)
        except NoCaseAccess:
            return False

    def adopt(self, case_id: uuid.UUID, version: int, keys: dict[Purpose, bytes]) -> None:
        """Hold freshly generated keys (a case being created, a rotation) for this run."""
        entry = self._cases.get(case_id) or CaseKeys(
            case_id, version, private_key=self._private_key or b""
        )
        entry.current_version = version
        for purpose, key in keys.items():
            entry.keys[(purpose, version)] = key
        self._cases[case_id] = entry

    def forget(self, case_id: uuid.UUID) -> None:
        self._cases.pop(case_id, None)

    # --- sealing and opening ----------------------------------------------------------------

    def seal(
        self, record: models.Model, values: dict[str, Any], *, fill_missing: bool = False
    ) -> None:
        """Encrypt ``values`` into ``record``'s encrypted fields (not saved).

        With ``fill_missing`` every other encrypted field gets an encrypted empty value, so
        every record has the same shape whatever was filled in — except fields under a key this
        keyring does not hold (a staff-key field of a record the defender's account writes):
        those stay empty (NULL), which reads as "" and which only staff ever fill in.
        """
        fields = encrypted_fields_of(type(record))
        unknown = set(values) - set(fields)
        if unknown:
            raise ValueError(f"not encrypted fields of {type(record).__name__}: {sorted(unknown)}")
        keys = self.keys_for(case_id_of(record))
        for name, spec in fields.items():
            if name in values:
                value = values[name]
            elif fill_missing and keys.has(spec.key_purpose):
                value = "" if spec.value_kind == "text" else None
            else:
                continue
            key = keys.key(spec.key_purpose, keys.current_version)
            blob = envelope.seal(
                key,
                spec.key_purpose,
                keys.current_version,
                _place(record, spec),
                _encode(spec, value),
                spec.pad_to,
            )
            setattr(record, spec.attname, blob)

    def open_value(self, record: models.Model, name: str) -> Any:
        """Decrypt one encrypted field of ``record``."""
        spec = encrypted_fields_of(type(record))[name]
        blob = getattr(record, spec.attname)
        if blob is None:
            return "" if spec.value_kind == "text" else None
        header = envelope.parse(bytes(blob))
        if header.purpose != spec.key_purpose:
            raise EnvelopeError("envelope: key purpose does not match the field's declaration")
        keys = self.keys_for(case_id_of(record))
        key = keys.key(header.purpose, header.key_version)
        return _decode(spec, envelope.unseal(key, _place(record, spec), bytes(blob)))

    def reseal_value(self, record: models.Model, name: str, version: int) -> None:
        """Re-encrypt one field under ``version`` of its key (rotation)."""
        spec = encrypted_fields_of(type(record))[name]
        value = self.open_value(record, name)
        keys = self.keys_for(case_id_of(record))
        key = keys.key(spec.key_purpose, version)
        setattr(
            record,
            spec.attname,
            envelope.seal(
                key,
                spec.key_purpose,
                version,
                _place(record, spec),
                _encode(spec, value),
                spec.pad_to,
            ),
        )

    def text(self, record: models.Model, name: str) -> str:
        """A text field's plaintext to copy into another record: ``""`` if it is damaged (the
        copy must not carry the damage notice as if it were the value)."""
        value = getattr(self.opened(record), name)
        return "" if value is DAMAGED else str(value or "")

    def opened(self, record: models.Model) -> Opened:
        """``record`` with its encrypted fields readable as attributes (decrypted on access)."""
        return Opened(record, self)


class Opened:
    """A record seen through a keyring: encrypted fields read as plaintext, the rest as is."""

    def __init__(self, record: models.Model, keyring: Keyring) -> None:
        self.__dict__["record"] = record
        self.__dict__["_keyring"] = keyring
        self.__dict__["_plain"] = {}

    def __getattr__(self, name: str) -> Any:
        record = self.__dict__["record"]
        fields = encrypted_fields_of(type(record))
        if name not in fields:
            return getattr(record, name)
        plain = self.__dict__["_plain"]
        if name not in plain:
            keyring = self.__dict__["_keyring"]
            try:
                plain[name] = keyring.open_value(record, name)
            except CryptoError:
                # A flipped byte in one value (or in the box of its key) must not take the page
                # down for every member: show the damage in its place and report it once.
                damage.report(keyring.user, record, name)
                plain[name] = DAMAGED
        return plain[name]

    @property
    def damaged(self) -> bool:
        """Whether any value read so far failed to open."""
        return any(value is DAMAGED for value in self.__dict__["_plain"].values())

    def __repr__(self) -> str:
        return f"<Opened {self.__dict__['record']._meta.label} {self.__dict__['record'].pk}>"

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("opened records are read-only; write through an action")


class Damaged:
    """What a value that failed to open reads as: a visible notice wherever it is shown.

    It is truthy on purpose, so templates that show a value only when it is filled in show the
    notice instead of silently hiding the damage; iterated (a list-valued field) it is empty.
    """

    #: Forms show a damaged value empty (lib.forms.Form), never as this notice.
    is_damaged = True

    def __str__(self) -> str:
        return gettext("[damaged — restore this record from a backup]")

    def __iter__(self) -> Any:
        return iter(())

    def __repr__(self) -> str:
        return "<damaged value>"


#: The single marker every damaged value is.
DAMAGED = Damaged()


def encrypted_fields_of(model: type[models.Model]) -> dict[str, EncryptedField]:
    return {f.name: f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)}


def case_id_of(record: models.Model) -> uuid.UUID:
    case_id = record.id if isinstance(record, Case) else getattr(record, "case_id", None)
    if not isinstance(case_id, uuid.UUID):
        raise ValueError(f"{type(record).__name__} has no case to take keys from")
    return case_id


def _place(record: models.Model, spec: EncryptedField) -> envelope.Place:
    if not isinstance(record.pk, uuid.UUID):
        raise ValueError("records with encrypted fields have UUID primary keys")
    return envelope.Place(record._meta.db_table, spec.name, record.pk, case_id_of(record))


def _encode(spec: EncryptedField, value: Any) -> bytes:
    if spec.value_kind == "text":
        return ("" if value is None else str(value)).encode("utf-8")
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode(
        "utf-8"
    )


def _decode(spec: EncryptedField, data: bytes) -> Any:
    text = data.decode("utf-8")
    return text if spec.value_kind == "text" else json.loads(text)


_REQUEST_ATTRIBUTE = "_pd_keyring"


def keyring_for(request: HttpRequest) -> Keyring:
    """The signed-in user's keyring for this request (built once)."""
    keyring: Keyring | None = getattr(request, _REQUEST_ATTRIBUTE, None)
    if keyring is None:
        user = request.user
        if not isinstance(user, User):
            raise NoCaseAccess("not signed in")
        keyring = Keyring(user, session_keys.private_key(request))
        setattr(request, _REQUEST_ATTRIBUTE, keyring)
    return keyring
