from django.urls import path

from protectdesk.risk import views

app_name = "risk"

_ONE = "cases/<uuid:case_id>/risk/<uuid:analysis_id>/"

urlpatterns = [
    path("cases/<uuid:case_id>/risk/", views.analyses, name="analyses"),
    path("cases/<uuid:case_id>/risk/latest/", views.latest, name="latest"),
    path(_ONE, views.analysis, name="analysis"),
    path(_ONE + "scenarios/new/", views.scenario, name="new_scenario"),
    path(_ONE + "scenarios/<uuid:scenario_id>/", views.scenario, name="scenario"),
    path(
        _ONE + "scenarios/<uuid:scenario_id>/remove/",
        views.delete_scenario,
        name="delete_scenario",
    ),
]
