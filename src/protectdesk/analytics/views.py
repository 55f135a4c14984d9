"""Analytics pages: the list of views, one view (filters, charts with their tables, what was
withheld), the same tables as CSV, and the desk's settings. Coordinators and analysts only;
the pooled ``?scope=network`` only for desks that take part in the pool."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from protectdesk.accounts.models import Role
from protectdesk.analytics import actions, queries
from protectdesk.analytics.catalogue import DIMENSIONS, UNITS, VIEWS, View
from protectdesk.analytics.forms import FilterForm, SettingsForm
from protectdesk.analytics.queries import Rows, Scope
from protectdesk.lib import charts
from protectdesk.lib.access import current_user, role_required

VIEWERS = tuple(actions.VIEWERS)


def _scope(request: HttpRequest) -> Scope:
    viewer = current_user(request)
    if request.GET.get("scope") == "network":
        pooled = queries.pool_scope(viewer)
        if pooled is None:
            raise Http404  # the desk does not take part: there is no pool to see
        return pooled
    return queries.own_scope(viewer)


@require_GET
@role_required(*VIEWERS)
def index(request: HttpRequest) -> HttpResponse:
    viewer = current_user(request)
    own = queries.own_scope(viewer)
    return render(
        request,
        "analytics/index.html",
        {
            "views": list(VIEWS.values()),
            "scope": own,
            "in_pool": queries.pool_scope(viewer) is not None,
            "can_configure": viewer.role == Role.COORDINATOR,
        },
    )


def _chart(view: View, rows: Rows, counted: str) -> charts.Chart:
    title = " × ".join(str(DIMENSIONS[d].title) for d in rows.by)
    return charts.chart(
        title,
        [(" · ".join(labels), n) for labels, n in rows.rows],
        value_heading=counted[:1].upper() + counted[1:],
        label_heading=title,
        caption=_("%(counted)s by %(grouping)s (groups too small to show are left out)")
        % {"counted": counted[:1].upper() + counted[1:], "grouping": title.lower()},
    )


def _published(request: HttpRequest, slug: str) -> dict[str, Any]:
    view = queries.view_of(slug)
    if view is None:
        raise Http404
    published = queries.publish(
        view, _scope(request), {d: request.GET.getlist(d) for d in view.dimensions}
    )
    return {
        "view": view,
        "scope": published.scope,
        "published": published.release,
        "withheld": published.withheld,
        "filters": published.filters,
        "tables": [queries.labelled(table) for table in published.tables],
        "counted": str(UNITS[view.unit].counted),
    }


@require_GET
@role_required(*VIEWERS)
def view(request: HttpRequest, slug: str) -> HttpResponse:
    found = _published(request, slug)
    view, scope, published = found["view"], found["scope"], found["published"]
    form = FilterForm(
        {d: sorted(codes) for d, codes in found["filters"].items()} or None,
        choices=queries.filter_choices(published, view, scope),
    )
    query = request.GET.copy()
    return render(
        request,
        "analytics/view.html",
        {
            **found,
            "form": form,
            "panels": [(_chart(view, rows, found["counted"]), rows) for rows in found["tables"]],
            "csv_query": query.urlencode(),
            "subjects": queries.SUBJECTS,
            "filtered": bool(found["filters"]),
            "in_pool": scope.pooled or queries.pool_scope(current_user(request)) is not None,
        },
    )


#: A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA) else text


@require_GET
@role_required(*VIEWERS)
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Exactly the page's tables: one line per published group, then each table's total."""
    found = _published(request, slug)
    view, scope = found["view"], found["scope"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Chart"), _("Group"), _("Count")])
    for rows in found["tables"]:
        title = " × ".join(str(DIMENSIONS[d].title) for d in rows.by)
        for labels, n in rows.rows:
            writer.writerow([_cell(title), _cell(" · ".join(labels)), n])
        writer.writerow([_cell(title), _cell(_("Total")), rows.total])
    filters = "; ".join(
        f"{DIMENSIONS[d].title}: {', '.join(DIMENSIONS[d].label_of(c) for c in sorted(codes))}"
        for d, codes in found["filters"].items()
    )
    writer.writerow([_cell(_("Filters")), _cell(filters or _("none")), ""])
    writer.writerow([_cell(_("Smallest group shown")), "", scope.k])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"{view.slug}-network.csv" if scope.pooled else f"{view.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def settings(request: HttpRequest) -> HttpResponse:
    viewer = current_user(request)
    chosen = queries.settings_of(viewer.desk_id)
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "k": chosen.k,
            "period": chosen.period,
            "regions": chosen.regions,
            "pooled": chosen.pooled,
        },
    )
    if request.method == "POST":
        if form.is_valid():
            actions.save_settings(actor=viewer, data=form.to_data())
            messages.success(request, _("The analytics settings are saved."))
            return redirect("analytics:settings")
        return render(request, "analytics/settings.html", {"form": form}, status=400)
    return render(
        request,
        "analytics/settings.html",
        {"form": form, "pool_size": queries.pool_size()},
    )
