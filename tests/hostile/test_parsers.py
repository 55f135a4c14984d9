"""Every parser of typed or uploaded text, given anything: a value or its own refusal, and
back again where there is a way back (tests/hostile/__init__.py lists which test holds which).
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable
from typing import Any

import yaml
from django import forms as django_forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protectdesk.crypto import intake as receipts
from protectdesk.crypto import recovery, text
from protectdesk.crypto.errors import RecoveryPhraseError
from protectdesk.incidents.forms import parse_when
from protectdesk.lib.forms import EARLIEST_YEAR, DayField, parse_day
from protectdesk.search.queries import excerpt
from protectdesk.training import questionnaires
from protectdesk.training.forms import QuestionnaireForm
from protectdesk.wheel import definitions
from tests.hostile.harness import hostile_text

FAST = settings(max_examples=100, deadline=None)
dateish = st.one_of(
    hostile_text,
    st.from_regex(r"\s*\d{1,5}([-/]\d{1,3}){0,2}\s*", fullmatch=True),
    st.from_regex(r"\d{1,2}/\d{4}", fullmatch=True),
)


def outcome(call: Callable[[], Any], refusal: type[Exception]) -> tuple[Any, Exception | None]:
    """(what ``call`` returned, None) or (None, the refusal it raised); anything else raises."""
    try:
        return call(), None
    except refusal as error:
        return None, error


past_days = st.dates(min_value=datetime.date(EARLIEST_YEAR, 1, 1), max_value=datetime.date.today())


# --- dates: exact, month, year ------------------------------------------------------------


@FAST
@given(typed=dateish)
def test_a_typed_date_is_a_when_or_a_validation_error(typed):
    when, error = outcome(lambda: parse_when(typed), django_forms.ValidationError)
    if error is not None:
        assert error.messages and all(error.messages)
        return
    assert when.precision in ("exact", "month", "year")
    assert EARLIEST_YEAR <= when.year <= timezone.localdate().year


@FAST
@given(day=past_days, dmy=st.booleans(), pad=st.sampled_from(["", " ", "\t"]))
def test_every_past_day_reads_back_as_itself(day, dmy, pad):
    typed = f"{day.day:02d}/{day.month:02d}/{day.year}" if dmy else day.isoformat()
    when = parse_when(pad + typed + pad)
    assert (when.precision, when.exact_date) == ("exact", day.isoformat())
    assert parse_day(typed) == day


@FAST
@given(day=past_days, month_first=st.booleans())
def test_a_month_or_a_year_reads_back_as_itself(day, month_first):
    typed = f"{day.month}/{day.year}" if month_first else f"{day.year}-{day.month:02d}"
    when = parse_when(typed)
    assert (when.precision, when.month) == ("month", f"{day.year}-{day.month:02d}")
    assert parse_when(str(day.year)).precision == "year"


@FAST
@given(typed=dateish)
def test_a_day_field_cleans_to_a_past_day_or_refuses(typed):
    day, error = outcome(
        lambda: DayField(required=False).clean(typed), django_forms.ValidationError
    )
    if error is not None:
        assert error.messages
        return
    assert day is None or datetime.date(EARLIEST_YEAR, 1, 1) <= day <= timezone.localdate()


# --- search: the words of a query, the excerpt shown with the matches -----------------------


@FAST
@given(sample=hostile_text)
def test_any_text_has_words(sample):
    words = text.words(sample)
    assert all(isinstance(word, str) and word for word in words)
    assert text.words(" ".join(words)) == words  # the words of the words are themselves


@FAST
@given(plaintext=hostile_text, query=hostile_text)
def test_an_excerpt_escapes_everything_but_its_marks(plaintext, query):
    shown = str(excerpt(plaintext, text.words(query)))
    without_marks = shown.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks
    assert '"' not in without_marks  # escaped too: safe inside an attribute
    body = html.unescape(without_marks).removeprefix("… ").removesuffix(" …")
    assert body in plaintext


# --- the desk recovery phrase and the intake receipt ----------------------------------------


def _as_copied(phrase: str, lower: bool, dashes: bool) -> str:
    copied = phrase.replace(" ", "-") if dashes else phrase
    return copied.lower() if lower else copied


@FAST
@given(key=st.binary(min_size=32, max_size=32), lower=st.booleans(), dashes=st.booleans())
def test_a_recovery_phrase_reads_back_as_copied_by_hand(key, lower, dashes):
    phrase = recovery.to_phrase(key)
    copied = _as_copied(phrase, lower, dashes).replace("O", "0").replace("I", "1")
    assert recovery.from_phrase(copied) == key


@FAST
@given(typed=st.one_of(hostile_text, st.from_regex(r"[A-Z2-7 \-01]{50,66}", fullmatch=True)))
def test_a_typed_recovery_phrase_is_a_key_or_says_what_is_wrong(typed):
    key, error = outcome(lambda: recovery.from_phrase(typed), RecoveryPhraseError)
    if error is not None:
        assert str(error)
        return
    assert len(key) == 32 and recovery.to_phrase(key).replace(" ", "") in re.sub(
        r"[\s-]", "", typed.upper()
    ).translate(str.maketrans("018", "OIB"))


@FAST
@given(lower=st.booleans(), dashes=st.booleans())
def test_a_receipt_reads_back_as_copied_by_hand(lower, dashes):
    receipt = receipts.new_receipt()
    copied = _as_copied(receipt, lower, dashes)
    assert receipts.format_receipt(copied) == receipt


@FAST
@given(typed=hostile_text)
def test_a_typed_receipt_is_a_receipt_or_a_receipt_error(typed):
    try:
        normal = receipts.normalise(typed)
    except receipts.ReceiptError:
        return
    assert len(normal) == receipts.RECEIPT_LENGTH and receipts.normalise(normal) == normal


# --- YAML a desk uploads (questionnaires) and the YAML files the product reads ---------------

yaml_texts = st.one_of(
    hostile_text,
    st.sampled_from(
        [
            "code: x\ntitle: 2026-02-30\n",  # a timestamp that is no day
            "a: !!int x\n",
            "[" * 2000,
            "a: &a [*a]\n",
            "- &x {a: *x}\n",
            "code: ok\nquestions: [{code: q, module: m, en: x}]\nscale: {low: 9, high: 1}\n",
            "!!python/object/apply:os.system [true]\n",
            "a: 1e9999\nb: .nan\n",
            "\ufeffcode: x\n",
        ]
    ),
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), hostile_text),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.sampled_from(["code", "title", "scale", "questions", "en"]), inner),
        ),
        max_leaves=10,
    ).map(lambda value: yaml.safe_dump(value, allow_unicode=True)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=yaml_texts)
def test_an_uploaded_questionnaire_is_one_or_a_validation_error(source):
    upload = SimpleUploadedFile("q.yaml", source.encode("utf-8"), "application/x-yaml")
    form = QuestionnaireForm({}, {"file": upload})
    if not form.is_valid():
        assert form.errors["file"]
        return
    done, error = outcome(
        lambda: questionnaires.validate(form.cleaned_data["file"]),
        questionnaires.QuestionnaireError,
    )
    assert done or error.problems


@settings(max_examples=30, deadline=None)
@given(source=st.one_of(yaml_texts, st.binary(max_size=200).map(bytes.hex)))
def test_a_questionnaire_file_is_one_or_a_questionnaire_error(tmp_path_factory, source):
    path = tmp_path_factory.mktemp("q") / "q.yaml"
    path.write_text(source, encoding="utf-8")
    done, error = outcome(lambda: questionnaires.load_file(path), questionnaires.QuestionnaireError)
    assert done or error.problems


@settings(max_examples=30, deadline=None)
@given(source=yaml_texts)
def test_a_wheel_file_is_wheels_or_says_it_cannot_be_read(tmp_path_factory, source):
    path = tmp_path_factory.mktemp("w") / "wheels.yaml"
    path.write_text(source, encoding="utf-8")
    wheels, error = outcome(lambda: definitions.load(path), ValueError)
    if error is not None:
        assert str(error).startswith("wheels.yaml")
        return
    assert all(wheel.spokes for wheel in wheels.values())
