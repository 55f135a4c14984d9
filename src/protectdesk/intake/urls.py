from django.urls import path

from protectdesk.intake import public_views, views

app_name = "intake"

_PUBLIC = "report/<uuid:desk_id>/"
_ONE = "intake/<uuid:submission_id>/"

urlpatterns = [
    # Public: no sign-in, no cookie.
    path(_PUBLIC, public_views.report, name="report"),
    path(_PUBLIC + "follow/", public_views.follow, name="follow"),
    path(_PUBLIC + "answer/", public_views.answer, name="answer"),
    # Intake officers and the desk's coordinators.
    path("intake/", views.inbox, name="inbox"),
    path("intake/settings/", views.settings_page, name="settings"),
    path("intake/open/", views.open_door, name="open_door"),
    path("intake/settings/door/", views.change_door, name="change_door"),
    path("intake/officers/", views.give_key, name="give_key"),
    path("intake/officers/<uuid:user_id>/remove/", views.take_key, name="take_key"),
    path("intake/recover/", views.recover, name="recover"),
    path("intake/renew/", views.renew_key, name="renew_key"),
    path(_ONE, views.submission, name="submission"),
    path(_ONE + "reply/", views.reply, name="reply"),
    path(_ONE + "case/", views.open_case, name="open_case"),
    path(_ONE + "add/", views.add_to_case, name="add_to_case"),
    path(_ONE + "close/", views.close, name="close"),
    path(_ONE + "files/<uuid:part_id>/", views.download, name="download"),
]
