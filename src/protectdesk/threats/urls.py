from django.urls import path

from protectdesk.threats import views

app_name = "threats"

_ONE = "cases/<uuid:case_id>/threats/<uuid:assessment_id>/"

urlpatterns = [
    path("flagged/", views.flagged, name="flagged"),
    path("cases/<uuid:case_id>/actors/", views.actors, name="actors"),
    path("cases/<uuid:case_id>/actors/relations/", views.add_relation, name="add_relation"),
    path(
        "cases/<uuid:case_id>/actors/relations/<uuid:relation_id>/remove/",
        views.remove_relation,
        name="remove_relation",
    ),
    path("cases/<uuid:case_id>/actors/<uuid:actor_id>/", views.edit_actor, name="edit_actor"),
    path("cases/<uuid:case_id>/threats/new/", views.new_assessment, name="new"),
    path(_ONE, views.assessment_detail, name="detail"),
    path(_ONE + "step/<int:step>/", views.step, name="step"),
    path(_ONE + "history/", views.history, name="history"),
    path(_ONE + "history/<int:number>/", views.version, name="version"),
]
