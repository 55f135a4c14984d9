"""The error pattern's template tags (``{% load protectdesk_forms %}``).

``base.html`` uses both, so every page that extends it follows the pattern with no wiring in
its view: a view shows a form's errors by rendering the bound form (or formset) it validated,
anywhere in the template context, usually with status 400.

* ``{% error_title_prefix %}`` — "Error: " (translated) when the page shows errors, else "";
  inside ``<title>``.
* ``{% error_summary %}`` — the summary box (``includes/error_summary.html``), empty when
  there is nothing to say: ``role="alert"``, a heading, and one line per problem; a field's
  line links to ``#<id of its first input>``, a problem of the whole form is plain text.
  ``base.html`` puts it first in ``<main>``; a page extending ``base.html`` must not use it
  again.

Only forms and formsets a view has validated count (the tags never validate anything). A
``protectdesk.lib.forms.Problem`` (or a list of them) in the context is listed too, for input
that is not a Django form: ``Problem(message, label="Add a file", target="id_file_…")``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from protectdesk.lib.forms import Problem, problems_in

register = template.Library()


def _problems(context: template.Context) -> list[Problem]:
    return problems_in(context.flatten().values())


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context: template.Context) -> dict[str, Any]:
    return {"problems": _problems(context)}


@register.simple_tag(takes_context=True)
def error_title_prefix(context: template.Context) -> str:
    if not _problems(context):
        return ""
    # Translators: the start of the title of a page that shows errors ("Error: Open a case").
    return gettext("Error:") + " "
