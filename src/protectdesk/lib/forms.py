"""The shared form layer: one error pattern for every form, and small typed helpers.

Every form of the app derives from :class:`Form`. Once a form is built (after its own
``__init__`` has set choices and help texts), :func:`explain` goes over its fields:

* messages say what is wrong and how to fix it, naming the field by its label ("Choose
  “Country” from the list…"), unless the field was given a message of its own;
* a maximum length is said before typing ("Up to 200 characters.", in the help text), the
  browser is not told (no ``maxlength``: it would cut a 3,000-character paste to 200 without a
  word) and an over-long value is refused with its length;
* browsers do not validate (no ``required`` attribute): their bubbles speak the browser's
  language, not the user's, and hide the error summary. ``aria-required`` still says it.

:func:`problems_in` collects the errors of every bound form and formset of a page, in the
order the error summary lists them (``templatetags/protectdesk_forms.py``).
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NoReturn, cast

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.forms.forms import DeclarativeFieldsMetaclass
from django.forms.formsets import BaseFormSet
from django.forms.utils import pretty_name
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.formats import number_format
from django.utils.functional import LazyObject
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# --- the error pattern ----------------------------------------------------------------------


def count(number: int) -> str:
    """A count as the user's language writes it (3,000 · 3 000 · 3.000)."""
    return str(number_format(number, force_grouping=True))


class MaxLength(validators.MaxLengthValidator):
    """Django's maximum, with the length and the limit as the user's language writes them.

    The message (the field's ``max_length`` error message) can use ``%(length)s`` and
    ``%(limit)s``; Django's own ``%(show_value)d`` and ``%(limit_value)d`` still work.
    """

    def __call__(self, value: Any) -> None:
        length = self.clean(value)
        if self.compare(length, self.limit_value):
            raise ValidationError(
                self.message,
                code=self.code,
                params={
                    "length": count(length),
                    "limit": count(self.limit_value),
                    "show_value": length,
                    "limit_value": self.limit_value,
                    "value": value,
                },
            )


#: Codes whose message Django formats with ``%`` and parameters: a ``%`` in a label is doubled.
_WITH_PARAMS = {"invalid_choice", "invalid_list", "max_length", "min_value", "max_value"}

#: Controls whose ARIA role (textbox, searchbox, combobox, listbox) takes ``aria-required``.
_ARIA_REQUIRED_INPUTS = {"text", "email", "search", "tel", "url"}


def _takes_aria_required(widget: forms.Widget) -> bool:
    if isinstance(widget, forms.Textarea | forms.Select):
        return True
    return isinstance(widget, forms.TextInput) and widget.input_type in _ARIA_REQUIRED_INPUTS


def _defaults(field: forms.Field) -> dict[str, Any]:
    """Django's own messages for this kind of field (what a form did not choose itself)."""
    messages: dict[str, Any] = {}
    for klass in reversed(type(field).__mro__):
        messages.update(getattr(klass, "default_error_messages", {}))
    return messages


def _required_message(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxSelectMultiple):  # before RadioSelect, its base
        return gettext("Tick at least one box for “%(label)s”: none is ticked yet.")
    if isinstance(widget, forms.RadioSelect):
        return gettext("Choose one of the options for “%(label)s”: none is chosen yet.")
    if isinstance(widget, forms.CheckboxInput):
        return gettext("Tick “%(label)s” to continue: it is required.")
    if isinstance(widget, forms.Select):
        return gettext("Choose “%(label)s” from the list: nothing is chosen yet.")
    return gettext("Fill in “%(label)s”: it cannot be left empty.")


def _invalid_message(field: forms.Field) -> str | None:
    if isinstance(field, forms.EmailField):
        return gettext("Enter an e-mail address in the form name@example.org.")
    if isinstance(field, forms.TimeField):
        return gettext("Enter the time as hours and minutes, for example 09:30 or 21:40.")
    if isinstance(field, forms.DateField):
        return str(NOT_A_DAY)
    if isinstance(field, forms.IntegerField):  # also the float and decimal kinds
        return gettext("Enter “%(label)s” as a number in digits, for example 12.")
    return None


def _messages_for(field: forms.Field) -> dict[str, str]:
    """The messages :func:`explain` gives a field, before the label is put in."""
    widget = field.widget
    if widget.is_hidden:
        # A hidden value is never typed: when it is missing or wrong, the page was changed or
        # is too old. The summary lists it as text (there is nothing to link to).
        hidden = gettext(
            "This form was sent incomplete or changed. Reload the page and send it again."
        )
        return dict.fromkeys(("required", "invalid", "invalid_choice", *_WITH_PARAMS), hidden)
    messages = {"required": _required_message(widget)}
    if isinstance(field, forms.ChoiceField):  # includes the multiple and typed kinds
        choose = gettext(
            "Choose “%(label)s” from the options shown: the value sent is not one of them."
        )
        messages.update(invalid_choice=choose, invalid_list=choose)
    if (invalid := _invalid_message(field)) is not None:
        messages["invalid"] = invalid
    if isinstance(field, forms.IntegerField):
        messages["min_value"] = gettext("Enter %(limit_value)s or more for “%(label)s”.")
        messages["max_value"] = gettext("Enter %(limit_value)s or less for “%(label)s”.")
    if getattr(field, "max_length", None):
        messages["max_length"] = gettext(
            "This is %(length)s characters; the limit is %(limit)s. Shorten it and try again."
        )
    return messages


#: The ``max_length`` message of a field of words to search for.
SEARCH_TOO_LONG = _(
    "This is %(length)s characters; the limit is %(limit)s. Shorten it and search again."
)


def explain(form: forms.BaseForm) -> None:
    """Give every field of ``form`` messages that name it, and a visible length limit."""
    for name, field in form.fields.items():
        widget = field.widget
        label = str(field.label if field.label is not None else pretty_name(name))
        defaults = _defaults(field)
        for code, message in _messages_for(field).items():
            chosen = field.error_messages.get(code)
            if chosen is not None and chosen != defaults.get(code):
                continue  # the form said something more specific
            safe_label = label.replace("%", "%%") if code in _WITH_PARAMS else label
            field.error_messages[code] = message.replace("%(label)s", safe_label)
        widget.attrs.pop("maxlength", None)
        widget.attrs.pop("minlength", None)
        limit = getattr(field, "max_length", None)
        if limit:
            field.validators = [
                MaxLength(v.limit_value)
                if type(v) is validators.MaxLengthValidator and v.limit_value == limit
                else v
                for v in field.validators
            ]
            # A password's maximum guards the server (hashing cost), it is no limit a person
            # meets: enforced with its message, not announced.
            if not widget.is_hidden and not isinstance(widget, forms.PasswordInput):
                hint = gettext("Up to %(limit)s characters.") % {"limit": count(int(limit))}
                field.help_text = f"{field.help_text} {hint}" if field.help_text else hint
        if isinstance(widget, forms.EmailInput | forms.URLInput):
            # The browser would check the format itself, in its own language, before the form
            # is sent: a text input with the same on-screen keyboard instead.
            widget.attrs.setdefault("inputmode", widget.input_type)
            widget.input_type = "text"
        if field.required and _takes_aria_required(widget):
            widget.attrs["aria-required"] = "true"


class _ExplainedForm(DeclarativeFieldsMetaclass):
    """Runs :func:`explain` once a form is fully built, after its own ``__init__`` (which sets
    choices and help texts), so no subclass has to remember to call it."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        form = super().__call__(*args, **kwargs)
        explain(form)
        return form


class Form(forms.Form, metaclass=_ExplainedForm):
    """The base of every form of the app (see the module docstring)."""

    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # A value that failed to open (records.keyring.DAMAGED) is shown empty, never as its
        # notice: saving the form must not store "[damaged …]" as the record's text.
        initial = kwargs.get("initial")
        if initial:
            kwargs["initial"] = {
                name: ("" if getattr(value, "is_damaged", False) else value)
                for name, value in initial.items()
            }
        super().__init__(*args, **kwargs)


# --- dates ----------------------------------------------------------------------------------

NOT_A_DAY = _(
    "This does not match any accepted date format. Write it as YYYY-MM-DD or DD/MM/YYYY, "
    "for example 2026-03-14 or 14/03/2026."
)


def check_day(year: int, month: int, day: int) -> datetime.date:
    """The day, or a ValidationError saying which part does not exist (31/02/2026)."""
    if not 1 <= month <= 12:
        raise ValidationError(
            _("There is no month %(month)s: months go from 1 to 12."),
            code="invalid",
            params={"month": month},
        )
    if year < 1:
        raise_too_old()
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValidationError(
            _("%(month)s %(year)s has no day %(day)s: it has %(last)s days."),
            code="invalid",
            params={"month": MONTHS[month], "year": year, "day": day, "last": last},
        )
    return datetime.date(year, month, day)


EARLIEST_YEAR = 1950


def raise_too_old() -> NoReturn:
    """Refuse a year before the earliest the desk records."""
    raise ValidationError(
        _("This date is too far in the past: enter a year from %(year)s on."),
        code="invalid",
        params={"year": EARLIEST_YEAR},
    )


def check_past_day(day: datetime.date) -> None:
    """Refuse a day after today (what happened, or was given, cannot be in the future), or
    before the earliest year the desk records."""
    today = timezone.localdate()
    if day > today:
        raise ValidationError(
            _("This date is in the future: enter a date up to today, %(today)s."),
            code="future",
            params={"today": today.isoformat()},
        )
    if day.year < EARLIEST_YEAR:
        raise_too_old()


_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_day(text: str) -> datetime.date | None:
    """YYYY-MM-DD or DD/MM/YYYY as a date; None when ``text`` has neither form.

    A day that does not exist raises ValidationError (``check_day``).
    """
    text = text.strip()
    if match := _ISO_DAY.fullmatch(text):
        return check_day(int(match[1]), int(match[2]), int(match[3]))
    if match := _DMY_DAY.fullmatch(text):
        return check_day(int(match[3]), int(match[2]), int(match[1]))
    return None


class DayField(forms.DateField):
    """A day in the past or today, typed YYYY-MM-DD (what ``<input type=date>`` sends) or
    DD/MM/YYYY; says whether the day does not exist, is in the future or is in no format."""

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        day = parse_day(str(value))
        if day is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            check_past_day(value)


class PlannedDayField(DayField):
    """A day of a plan (a due date, a review): typed like :class:`DayField`, and it may lie in
    the future."""

    def validate(self, value: Any) -> None:
        forms.DateField.validate(self, value)


# --- the error summary ----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One line of the error summary: a message, and the field it is about (if any)."""

    message: str
    label: str = ""  # the field's label ("Actor 2 · Who" in a formset); "" for the whole form
    target: str = ""  # the id of the field's first input, the summary's link; "" for none


def first_input_id(bound: forms.BoundField) -> str:
    """The id a link to this field goes to: its input, or the first of a group of them."""
    if bound.id_for_label:
        return str(bound.id_for_label)
    # Radio buttons and checkbox groups label no single input (Django gives them no id for
    # a <label for>): link to the first button of the group.
    for subwidget in bound.subwidgets:
        if subwidget.id_for_label:
            return str(subwidget.id_for_label)
    return str(bound.auto_id or "")


def _validated(form: forms.BaseForm | BaseFormSet[Any]) -> bool:
    # Only errors a view has already found: the summary never validates a form itself (a
    # formset left unvalidated on "show the regions of this country" must stay quiet).
    return bool(form.is_bound) and getattr(form, "_errors", None) is not None


def _form_problems(form: forms.BaseForm, row: str = "") -> Iterator[Problem]:
    for message in form.non_field_errors():
        yield Problem(str(message), row)
    errors = form.errors
    for bound in form:
        if bound.name not in errors:
            continue
        label = str(bound.label)
        label = f"{row} · {label}" if row else label
        target = "" if bound.is_hidden else first_input_id(bound)
        for message in errors[bound.name]:
            yield Problem(str(message), "" if bound.is_hidden else label, target)


def _formset_problems(formset: BaseFormSet[Any]) -> Iterator[Problem]:
    for message in formset.non_form_errors():
        yield Problem(str(message))
    row_label = getattr(formset, "row_label", None) or _("Row %(n)s")
    for index, form in enumerate(formset.forms):
        if _validated(form):
            yield from _form_problems(form, str(row_label) % {"n": index + 1})


def problems_in(values: Iterable[Any]) -> list[Problem]:
    """The errors of every validated form and formset among ``values`` (a page's context;
    lists and tuples of forms too), in context order then field order.

    A :class:`Problem` among the values is listed as it is: a view whose input is not a
    Django form (a refused file) can put one in its context.
    """
    problems: list[Problem] = []
    seen: set[int] = set()
    for value in values:
        if issubclass(type(value), LazyObject):
            # Not evaluated: a form is never lazy, and evaluating the context's CSRF token
            # would set its cookie on pages that promise none (the public library).
            continue
        for item in value if isinstance(value, list | tuple) else (value,):
            if isinstance(item, Problem):
                problems.append(item)
                continue
            if not isinstance(item, forms.BaseForm | BaseFormSet) or id(item) in seen:
                continue
            seen.add(id(item))
            if not _validated(item):
                continue
            if isinstance(item, BaseFormSet):
                problems.extend(_formset_problems(item))
            else:
                problems.extend(_form_problems(item))
    return problems


# --- small helpers --------------------------------------------------------------------------


def set_choices(form: forms.Form, name: str, choices: Iterable[tuple[Any, Any]]) -> None:
    """Set the choices of a choice field built at runtime (countries, regions, colleagues)."""
    cast(forms.ChoiceField, form.fields[name]).choices = list(choices)


def clear_errors(form: forms.Form) -> forms.Form:
    """Show a bound form again without its error messages (Django reads ``_errors``)."""
    form._errors = forms.utils.ErrorDict()  # type: ignore[attr-defined]
    return form


def check_order(
    form: forms.Form, data: dict[str, Any], earlier: str, later: str, message: str
) -> None:
    """In ``clean``: the day in ``later`` is not before the one in ``earlier`` (either may be
    empty). ``message`` names the problem and takes ``%(day)s``, the earliest day allowed."""
    first, second = data.get(earlier), data.get(later)
    if first and second and second < first:
        form.add_error(later, message % {"day": first.isoformat()})


def rebind(form: forms.Form, **values: str) -> None:
    """Change values in a bound form's data (e.g. the row version after an edit conflict)."""
    data = form.data.copy()  # type: ignore[attr-defined]
    for name, value in values.items():
        data[name] = value
    form.data = data


PRIVATE_INPUT = {"autocomplete": "off", "spellcheck": "false"}


def private_text(
    label: Any,
    *,
    rows: int = 3,
    max_length: int = 20000,
    required: bool = False,
    help_text: Any = "",
    error_messages: dict[str, Any] | None = None,
) -> forms.CharField:
    """A textarea for identifying text: no autocomplete or spellcheck (nothing cached by browsers)."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={**PRIVATE_INPUT, "rows": rows}),
        help_text=help_text,
        error_messages=error_messages,
    )
