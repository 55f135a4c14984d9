from django.urls import path

from protectdesk.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.log, name="log"),
]
