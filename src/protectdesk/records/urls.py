from django.urls import path

from protectdesk.records import views

app_name = "jobs"

urlpatterns = [
    path("<uuid:job_id>/", views.job_progress, name="progress"),
]
