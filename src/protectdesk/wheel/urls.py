from django.urls import path

from protectdesk.wheel import views

app_name = "wheel"

_ONE = "cases/<uuid:case_id>/wheel/<uuid:session_id>/"

urlpatterns = [
    path("cases/<uuid:case_id>/wheel/", views.sessions, name="sessions"),
    path(_ONE, views.session, name="session"),
    path(_ONE + "spokes/<slug:spoke>/measure/", views.make_measure, name="make_measure"),
]
