from django.urls import path

from protectdesk.analytics import views

app_name = "analytics"

urlpatterns = [
    path("analytics/", views.index, name="index"),
    path("analytics/settings/", views.settings, name="settings"),
    path("analytics/<slug:slug>/", views.view, name="view"),
    path("analytics/<slug:slug>.csv", views.export_csv, name="csv"),
]
