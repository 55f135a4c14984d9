from django.urls import path, re_path

from protectdesk.advocacy import communication_views as comm
from protectdesk.advocacy import video_views as video
from protectdesk.advocacy import views

app_name = "advocacy"

_COMM = "cases/<uuid:case_id>/communications/<uuid:communication_id>/"
_VIDEO = "cases/<uuid:case_id>/videos/<uuid:video_id>/"

urlpatterns = [
    path("observatory/", views.index, name="index"),
    path("observatory/compare/", views.compare, name="compare"),
    path("observatory/instruments/new/", views.instrument, name="new_instrument"),
    path("observatory/instruments/<uuid:instrument_id>/", views.instrument, name="instrument"),
    path("observatory/instruments/<uuid:instrument_id>/assess/", views.assess, name="assess"),
    re_path(r"^observatory/(?P<code>[A-Za-z]{2})/$", views.country, name="country"),
    re_path(r"^observatory/(?P<code>[A-Za-z]{2})/publish/$", views.publish, name="publish"),
    path(
        "public/observatory/<uuid:desk_id>/<str:code>/",
        views.public_country,
        name="public_country",
    ),
    path("cases/<uuid:case_id>/communications/new/", comm.draft, name="new_communication"),
    path(_COMM, comm.detail, name="communication"),
    path(_COMM + "edit/", comm.draft, name="edit_communication"),
    path(_COMM + "facts/", comm.facts, name="communication_facts"),
    path(_COMM + "consent/", comm.consent, name="communication_consent"),
    path(_COMM + "withdraw/", comm.withdraw, name="communication_withdraw"),
    path(_COMM + "tracking/", comm.tracking, name="communication_tracking"),
    path(_COMM + "follow-ups/", comm.follow_up, name="communication_follow_up"),
    path(_COMM + "dossier.<str:file_format>", comm.export, name="communication_export"),
    path("cases/<uuid:case_id>/videos/new/", video.edit, name="new_video"),
    path(_VIDEO, video.detail, name="video"),
    path(_VIDEO + "edit/", video.edit, name="edit_video"),
    path(_VIDEO + "people/", video.person, name="new_person"),
    path(_VIDEO + "people/<uuid:person_id>/", video.person, name="person"),
    path(_VIDEO + "people/<uuid:person_id>/withdraw/", video.withdraw, name="withdraw_person"),
    path(_VIDEO + "publish/", video.publish, name="publish_video"),
    path(_VIDEO + "take-down/", video.take_down, name="take_down_video"),
]
