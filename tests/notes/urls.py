from django.urls import path

from tests.notes import views

app_name = "notes"
urlpatterns = [
    path("<uuid:case_id>/notes-of-test/<uuid:note_id>/", views.detail, name="detail"),
    path("<uuid:case_id>/notes-of-test/<uuid:note_id>/delete/", views.delete, name="delete"),
]
