from django.urls import path

from protectdesk.training import views

app_name = "training"

_ONE = "<uuid:workshop_id>/"
_PERSON = _ONE + "participants/<uuid:participant_id>/"

urlpatterns = [
    path("", views.workshops, name="workshops"),
    path("new/", views.new, name="new"),
    path("questionnaires/", views.questionnaires, name="questionnaires"),
    path(_ONE, views.workshop, name="workshop"),
    path(_ONE + "edit/", views.edit, name="edit"),
    path(_ONE + "delete/", views.delete, name="delete"),
    path(_ONE + "results/", views.results, name="results"),
    path(_ONE + "trainers/", views.add_trainer, name="add_trainer"),
    path(_ONE + "rotate/", views.rotate_keys, name="rotate"),
    path(_ONE + "trainers/<uuid:user_id>/remove/", views.remove_trainer, name="remove_trainer"),
    path(_ONE + "participants/new/", views.new_participant, name="new_participant"),
    path(_PERSON, views.participant, name="participant"),
    path(_PERSON + "remove/", views.remove_participant, name="remove_participant"),
    path(_PERSON + "assessment/<slug:phase>/", views.assessment, name="assessment"),
    path(_PERSON + "coaching/new/", views.coaching, name="new_coaching"),
    path(_PERSON + "coaching/<uuid:session_id>/", views.coaching, name="coaching"),
    path(
        _PERSON + "coaching/<uuid:session_id>/actions/<int:index>/measure/",
        views.coaching_measure,
        name="coaching_measure",
    ),
]
