from django.urls import path

from protectdesk.incidents import reports, views

app_name = "incidents"

urlpatterns = [
    path("incidents/", views.incident_list, name="list"),
    path("cases/<uuid:case_id>/incidents/new/", views.new_incident, name="new"),
    path("cases/<uuid:case_id>/incidents/report/", reports.report_incident, name="report"),
    path(
        "cases/<uuid:case_id>/incidents/<uuid:incident_id>/review/",
        reports.review_report,
        name="review",
    ),
    path(
        "cases/<uuid:case_id>/incidents/<uuid:incident_id>/", views.incident_detail, name="detail"
    ),
    path(
        "cases/<uuid:case_id>/incidents/<uuid:incident_id>/edit/", views.edit_incident, name="edit"
    ),
]
