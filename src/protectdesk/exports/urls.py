from django.urls import path

from protectdesk.exports import views

app_name = "exports"

urlpatterns = [
    path("exports/", views.desk, name="desk"),
    path("exports/incidents-v1.schema.json", views.schema, name="schema"),
    path("cases/<uuid:case_id>/export/", views.case, name="case"),
]
