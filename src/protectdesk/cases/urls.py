from django.urls import path

from protectdesk.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.new_case, name="new"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/status/", views.change_status, name="status"),
    path("<uuid:case_id>/notes/", views.staff_notes, name="notes"),
    path("<uuid:case_id>/members/add/", views.add_member, name="add_member"),
    path(
        "<uuid:case_id>/members/<uuid:user_id>/remove/", views.remove_member, name="remove_member"
    ),
    path("<uuid:case_id>/defender-account/", views.invite_defender, name="invite_defender"),
    path("<uuid:case_id>/rotate/", views.rotate_keys, name="rotate"),
    path("<uuid:case_id>/profile/", views.edit_defender, name="edit_defender"),
    path("<uuid:case_id>/my-profile/", views.own_profile, name="own_profile"),
    path("<uuid:case_id>/consent/", views.record_consent, name="consent"),
    path("<uuid:case_id>/links/", views.link_defender, name="link"),
    path("<uuid:case_id>/links/<int:link_id>/remove/", views.unlink_defender, name="unlink"),
    path("recovery/", views.recovery_list, name="recovery_list"),
    path("recovery/<uuid:user_id>/", views.restore_access, name="restore_access"),
]
