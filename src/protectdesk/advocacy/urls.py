from django.urls import path, re_path

from protectdesk.advocacy import views

app_name = "advocacy"

urlpatterns = [
    path("observatory/", views.index, name="index"),
    path("observatory/compare/", views.compare, name="compare"),
    path("observatory/instruments/new/", views.instrument, name="new_instrument"),
    path("observatory/instruments/<uuid:instrument_id>/", views.instrument, name="instrument"),
    path("observatory/instruments/<uuid:instrument_id>/assess/", views.assess, name="assess"),
    re_path(r"^observatory/(?P<code>[A-Za-z]{2})/$", views.country, name="country"),
]
