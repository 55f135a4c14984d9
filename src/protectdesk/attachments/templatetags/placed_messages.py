"""Messages shown where they belong on the page, not only in the page-wide list at its top.

A view that redirects to a part of a page (``…#attachments``) lands the user there, far below
the page-wide messages: a refusal shown at the top is off-screen and the user believes the
upload worked. Such a view adds its message with ``extra_tags=placed_tag(place)``; the part of
the page that owns the place shows it (``messages|placed_at:place``) and ``base.html`` leaves it
out of the page-wide list (``messages|page_wide``). The first user is the files section; the
filters are generic so other sections can place their messages the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

register = template.Library()

PREFIX = "placed:"


def placed_tag(place: str) -> str:
    """The ``extra_tags`` that send a message to ``place`` (no spaces: tags split on them)."""
    if not place or any(ch.isspace() for ch in place):
        raise ValueError("a place is one word")
    return PREFIX + place


def _place_of(message: Any) -> str | None:
    for tag in str(getattr(message, "extra_tags", "") or "").split():
        if tag.startswith(PREFIX):
            return tag.removeprefix(PREFIX)
    return None


@register.filter
def page_wide(messages: Iterable[Any]) -> list[Any]:
    """The messages no part of the page has claimed (for the list at the top of every page)."""
    return [message for message in messages if _place_of(message) is None]


@register.filter
def placed_at(messages: Iterable[Any], place: str) -> list[Any]:
    """The messages sent to ``place``."""
    return [message for message in messages if _place_of(message) == str(place)]


@register.filter
def of_level(messages: Iterable[Any], level_tag: str) -> list[Any]:
    """The messages of one level (``"error"``, ``"success"``, …)."""
    return [message for message in messages if message.level_tag == level_tag]


@register.filter
def not_of_level(messages: Iterable[Any], level_tag: str) -> list[Any]:
    """The messages of every other level."""
    return [message for message in messages if message.level_tag != level_tag]
